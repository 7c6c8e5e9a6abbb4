@{
    RootModule           = 'IcaPowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c6f4e-8a57-4c8e-9a43-2f1d6c0e7b91'
    Author               = 'IcaPowerShell contributors'
    CompanyName          = 'IcaPowerShell'
    Copyright            = '(c) IcaPowerShell contributors. MIT License.'
    Description          = 'Authenticate to Illumina Connected Analytics (ICA) from PowerShell: profiles with the API key encrypted at rest (Set-, Get-, Reset-IcaConfig) and cached, self-renewing JWTs (Get-IcaToken), as icav2 config and token creation do for the command line; and calls to any ICA endpoint with paging and ICA''s errors (Invoke-IcaRestMethod).'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    # Windows PowerShell 5.1 does not enforce DotNetFrameworkVersion: this refuses an older .NET
    # Framework plainly, before IcaPowerShell.dll is loaded. A no-op in PowerShell 7.
    ScriptsToProcess     = @('IcaPowerShell.Framework.ps1')
    FormatsToProcess     = @('IcaPowerShell.Format.ps1xml')
    CmdletsToExport      = @('Set-IcaConfig', 'Get-IcaConfig', 'Reset-IcaConfig', 'Get-IcaToken', 'Invoke-IcaRestMethod', 'Get-IcaContext', 'Set-IcaContext', 'Clear-IcaContext')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('ICA', 'Illumina', 'IlluminaConnectedAnalytics', 'icav2', 'JWT', 'Authentication', 'Genomics', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/IcaPowerShell/IcaPowerShell/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/IcaPowerShell/IcaPowerShell'
            ReleaseNotes = 'First release: Set-IcaConfig, Get-IcaConfig and Reset-IcaConfig (profiles with the API key encrypted at rest), Get-IcaToken (cached, self-renewing JWTs) and Invoke-IcaRestMethod (any ICA endpoint, with paging and ICA''s errors).'
        }
    }
}
