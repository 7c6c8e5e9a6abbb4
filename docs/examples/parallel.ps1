<#
    Many requests in parallel (PowerShell 7: ForEach-Object -Parallel). Each runspace has its own
    session; the first to need a token mints it and keeps it beside the profile, the others take
    that one (one token request between them), and each reuses it for all its items.
#>
$projectIds = Get-Content ./project-ids.txt
$projectIds | ForEach-Object -ThrottleLimit 8 -Parallel {
    Import-Module IcaPowerShell
    Invoke-IcaRestMethod "projects/$_" -Profile default
} | Select-Object id, name
