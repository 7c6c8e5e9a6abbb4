<#
    An Azure Automation runbook, for Windows PowerShell 5.1 and PowerShell 7 alike. Runbook workers
    have no profile folder, so the profile file lives in the job's temp folder (a shared one such as
    /tmp is used as it is, never changed; the files in it are created for this account alone), and
    the server and the key come from Automation variables (make IcaApiKey an encrypted one).
#>
$env:ICAPOWERSHELL_CONFIG_PATH = Join-Path ([IO.Path]::GetTempPath()) "ica-$PID.yaml"
try {
    $apiKey = ConvertTo-SecureString (Get-AutomationVariable -Name 'IcaApiKey') -AsPlainText -Force
    Set-IcaConfig -Profile runbook -ServerUrl (Get-AutomationVariable -Name 'IcaServerUrl') -ApiKey $apiKey -Confirm:$false
    Invoke-IcaRestMethod projects -Profile runbook -All | Select-Object id, name
}
finally {
    Reset-IcaConfig -All -Force
    Remove-Item Env:ICAPOWERSHELL_CONFIG_PATH
}
