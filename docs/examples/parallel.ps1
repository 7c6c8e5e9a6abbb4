<#
    Many requests in parallel (PowerShell 7). Each runspace of ForEach-Object -Parallel has its
    own session, so each mints one token and reuses it for all its items.
#>
$projectIds = Get-Content ./project-ids.txt
$projectIds | ForEach-Object -ThrottleLimit 8 -Parallel {
    Import-Module IcaPowerShell
    $token = Get-IcaToken -Profile default
    Invoke-RestMethod -Uri "https://ica.illumina.com/ica/rest/api/projects/$_/data" `
        -Authentication Bearer -Token $token.Token `
        -Headers @{ Accept = 'application/vnd.illumina.v3+json' }
}
