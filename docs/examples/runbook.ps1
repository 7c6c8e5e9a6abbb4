<#
    An Azure Automation runbook. Runbook workers have no profile folder, so the profile file
    lives in the job's temp folder, and the key comes from an encrypted Automation variable.
#>
$env:ICAPOWERSHELL_CONFIG_PATH = Join-Path ([IO.Path]::GetTempPath()) "ica-$PID.yaml"
try {
    $apiKey = ConvertTo-SecureString (Get-AutomationVariable -Name 'IcaApiKey') -AsPlainText -Force
    Set-IcaConfig -Profile runbook -ApiKey $apiKey -Confirm:$false
    $token = Get-IcaToken -Profile runbook
    Invoke-RestMethod -Uri 'https://ica.illumina.com/ica/rest/api/projects' `
        -Authentication Bearer -Token $token.Token `
        -Headers @{ Accept = 'application/vnd.illumina.v3+json' }
}
finally {
    Reset-IcaConfig -All -Force
}
