<#
    Many requests in parallel (PowerShell 7: ForEach-Object -Parallel). Each runspace has its own
    session, so each mints one token from the profile and reuses it for all its items.
#>
$projectIds = Get-Content ./project-ids.txt
$projectIds | ForEach-Object -ThrottleLimit 8 -Parallel {
    Import-Module IcaPowerShell
    Invoke-IcaRestMethod "projects/$_" -Profile default
} | Select-Object id, name
