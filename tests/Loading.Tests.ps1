#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Loading beside other modules: another YamlDotNet before or after ours, in fresh processes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    $script:Server = Start-FakeIca
    $script:OtherYaml = $env:ICAPOWERSHELL_TEST_OTHER_YAMLDOTNET
    $script:Mint = "Get-IcaToken -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force) -ServerUrl '$($Server.Url)' | ForEach-Object { 'source=' + `$_.Source }"
    $script:Profiles = "`$env:ICAPOWERSHELL_CONFIG_PATH = '$(Join-Path $TestDrive 'loading/profiles.yaml')'"
}

AfterAll { Stop-FakeIca $Server }

Describe 'Loading beside another YamlDotNet' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
    It 'has the other YamlDotNet to load (13.7.1, restored by build.ps1)' {
        $OtherYaml | Should -Exist
        [Reflection.AssemblyName]::GetAssemblyName($OtherYaml).Version.Major | Should -Be 13
    }

    It 'imports and works when another module loaded YamlDotNet 13 first' {
        $result = Invoke-FreshPowerShell @"
$Profiles
Add-Type -Path '$OtherYaml'
Import-Module '$ModuleManifest'
$Mint
Set-IcaConfig -Profile p -ApiKey (ConvertTo-SecureString 'pester-key-loading-1' -AsPlainText -Force)
(Get-IcaConfig -Profile p).Profile
'default context: ' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' -and [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name -eq 'Default' } | ForEach-Object { `$_.GetName().Version.Major })
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'source=Minted'
        $result.Output | Should -Match '(?m)^p$'
        $result.Output | Should -Match 'default context: 13'
    }

    It 'leaves YamlDotNet 13 usable when the module was imported first' {
        $result = Invoke-FreshPowerShell @"
$Profiles
Import-Module '$ModuleManifest'
Set-IcaConfig -Profile p -ApiKey (ConvertTo-SecureString 'pester-key-loading-2' -AsPlainText -Force)
Add-Type -Path '$OtherYaml'
`$yaml = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ loaded = 'yes' })
'other yaml: ' + `$yaml.Trim()
$Mint
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'other yaml: loaded: yes'
        $result.Output | Should -Match 'source=Minted'
    }

    It 'loads nothing of the engine at import, and touches no profile file' {
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$(Join-Path $TestDrive 'never/profiles.yaml')'
Import-Module '$ModuleManifest'
([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Where-Object { `$_ -in 'IcaPowerShell.Core', 'YamlDotNet' }) -join ','
'commands: ' + (((Get-Command -Module IcaPowerShell).Name | Sort-Object) -join ',')
"@
        $result.Output | Should -Match '(?m)^commands: Clear-IcaContext,Get-IcaConfig,Get-IcaContext,Get-IcaToken,Invoke-IcaRestMethod,Reset-IcaConfig,Set-IcaConfig,Set-IcaContext$'
        $result.Output | Should -Not -Match 'IcaPowerShell.Core'
        Test-Path (Join-Path $TestDrive 'never') | Should -BeFalse
    }
}
