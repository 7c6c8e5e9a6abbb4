#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# build.ps1 -Task Package makes a .nupkg that Install-PSResource installs, and the installed module works.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    $script:Server = Start-FakeIca
}

AfterAll { Stop-FakeIca $Server }

Describe 'Packaging' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    It 'installs from a local folder repository with Install-PSResource, imports and mints' {
        # A home folder of its own: the repository registration and the installed module stay in
        # $TestDrive, and the user's PSResourceGet settings are never touched.
        $isolatedHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $isolatedHome | Out-Null
        $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
        $env:PESTER_FAKE_KEY = $Server.ApiKey
        $result = Invoke-FreshPowerShell @"
`$env:DOTNET_CLI_HOME = '$HOME'; `$env:NUGET_PACKAGES = '$nuget'; `$env:HOME = '$isolatedHome'
& '$RepoRoot/build.ps1' -Task Package -Configuration $BuildConfiguration | Out-Null
`$package = Get-ChildItem '$RepoRoot/out/packages' -Filter 'IcaPowerShell.*.nupkg'
'package=' + `$package.Name
'left-registered=' + [bool](Get-PSResourceRepository -Name IcaPowerShellLocal -ErrorAction SilentlyContinue)
Add-Type -AssemblyName System.IO.Compression.FileSystem
'license-in-package=' + [bool]([IO.Compression.ZipFile]::OpenRead(`$package.FullName).Entries | Where-Object FullName -EQ 'LICENSE')
Register-PSResourceRepository -Name PesterLocal -Uri (Split-Path `$package.FullName) -Trusted
`$installed = Install-PSResource -Name IcaPowerShell -Repository PesterLocal -Scope CurrentUser -TrustRepository -Quiet -PassThru
'installed=' + `$installed.Version + ' in ' + `$installed.InstalledLocation
Import-Module (Join-Path `$installed.InstalledLocation "IcaPowerShell/`$(`$installed.Version)/IcaPowerShell.psd1")
'loaded-from=' + (Get-Module IcaPowerShell).ModuleBase
`$env:ICAPOWERSHELL_CONFIG_PATH = '$isolatedHome/profiles.yaml'
'source=' + (Get-IcaToken -ApiKey (ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force) -ServerUrl '$($Server.Url)').Source
"@
        $env:PESTER_FAKE_KEY = $null
        $result.Output | Should -Match 'package=IcaPowerShell\.\d+\.\d+\.\d+\.nupkg'
        $result.Output | Should -Match 'left-registered=False'
        $result.Output | Should -Match 'license-in-package=True'
        $result.Output | Should -Match 'installed=\d+\.\d+\.\d+'
        $result.Output | Should -Match ([regex]::Escape("loaded-from=$isolatedHome"))
        $result.Output | Should -Match 'source=Minted'
    }

    It 'runs build.ps1 -Task Pester -PesterPath with one file and NUGET_PACKAGES set without a trailing slash, as pipeline caches set it' {
        $nuget = (& dotnet msbuild (Join-Path $RepoRoot 'tests/Pester/Pester.csproj') -nologo -getProperty:NuGetPackageRoot).Trim().TrimEnd('/', '\')
        $tiny = Join-Path $TestDrive 'Tiny.Tests.ps1'
        Set-Content $tiny "Describe 'tiny' { It 'runs' { 1 | Should -Be 1 } }"
        $result = Invoke-FreshPowerShell "`$env:NUGET_PACKAGES = '$nuget'; & '$RepoRoot/build.ps1' -Task Pester -Configuration $BuildConfiguration -PesterPath '$tiny' *>&1 | Out-String"
        $result.Output | Should -Not -Match 'not where it said'
        $result.Output | Should -Match '(?m)^1 passed, 0 failed, 0 skipped'
    }
}
