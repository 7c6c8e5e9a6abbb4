<#
    An Azure Automation runbook, for Windows PowerShell 5.1 and PowerShell 7 alike. Runbook workers
    have no profile folder, so the profile file lives in a new folder of the job's own under the temp
    folder (a shared one such as /tmp is never changed): its name cannot be guessed beforehand, so no
    other account can have put a file or a lock there, and it goes, lock files and all, at the end.
    The server and the key come from Automation variables (make IcaApiKey an encrypted one).
#>
$folder = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "ica-$([guid]::NewGuid().ToString('N'))")
$env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $folder.FullName 'profiles.yaml'
try {
    $apiKey = ConvertTo-SecureString (Get-AutomationVariable -Name 'IcaApiKey') -AsPlainText -Force
    Set-IcaConfig -Profile runbook -ServerUrl (Get-AutomationVariable -Name 'IcaServerUrl') -ApiKey $apiKey -Confirm:$false
    Invoke-IcaRestMethod projects -Profile runbook -All | Select-Object id, name
}
finally {
    Reset-IcaConfig -All -Force
    Remove-Item -LiteralPath $folder.FullName -Recurse -Force
    Remove-Item Env:ICAPOWERSHELL_CONFIG_PATH
}
