#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages IcaPowerShell. Works in Windows PowerShell 5.1 and PowerShell 7.

.EXAMPLE
    ./build.ps1                      # Clean, Build, Test
.EXAMPLE
    ./build.ps1 -Task Build, Pester  # the module, then the Pester suite only
.EXAMPLE
    ./build.ps1 -Task Package        # out/packages/IcaPowerShell.<version>.nupkg, for the PowerShell Gallery
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Pester', 'Package')]
    [string[]] $Task = @('Clean', 'Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/IcaPowerShell'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments)
    Write-Host "> $Command $($Arguments -join ' ')"
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Clean {
    foreach ($folder in @('out') + (Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        $path = if ([System.IO.Path]::IsPathRooted($folder)) { $folder } else { Join-Path $root $folder }
        if (Test-Path $path) { Remove-Item -Recurse -Force $path }
    }
}

function Invoke-Build {
    # dotnet build assembles out/IcaPowerShell (manifest, cmdlets, formats, help, Dependencies/).
    Invoke-Native dotnet @('build', (Join-Path $root 'src/IcaPowerShell/IcaPowerShell.csproj'), '-c', $Configuration)
}

function Invoke-Xunit {
    Invoke-Native dotnet @('test', (Join-Path $root 'tests/IcaPowerShell.Tests'), '-c', $Configuration)
}

function Invoke-PesterSuite {
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Host 'Installing Pester 5 for the current user.'
        Install-Module Pester -MinimumVersion 5.0.0 -Scope CurrentUser -Force -SkipPublisherCheck
    }
    Import-Module Pester -MinimumVersion 5.0.0
    # The suite starts the fake ICA server and imports the module from out/, so both must be built.
    Invoke-Native dotnet @('build', (Join-Path $root 'tests/FakeIca/FakeIca.csproj'), '-c', $Configuration)
    Invoke-Native dotnet @('build', (Join-Path $root 'tests/ModuleHost/ModuleHost.csproj'), '-c', $Configuration)
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $root 'tests'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = Join-Path $root 'out/pester-results.xml'
    $env:ICAPOWERSHELL_BUILD_CONFIGURATION = $Configuration
    $result = Invoke-Pester -Configuration $configuration
    Write-Host "Tests Passed: $($result.PassedCount), Failed: $($result.FailedCount), Skipped: $($result.SkippedCount)"
    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
        throw "Pester: $($result.FailedCount) test(s) failed."
    }
}

function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    if (-not (Get-Command Publish-PSResource -ErrorAction SilentlyContinue)) {
        throw 'Packaging needs Microsoft.PowerShell.PSResourceGet (built into PowerShell 7.4; Install-Module Microsoft.PowerShell.PSResourceGet elsewhere).'
    }
    $repository = 'IcaPowerShellLocal'
    if (-not (Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    }
    Publish-PSResource -Path $moduleFolder -Repository $repository
    Get-ChildItem $packages -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName) ($($_.Length) bytes)" }
}

foreach ($step in $Task) {
    Write-Host "=== $step"
    switch ($step) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Test' {
            Invoke-Xunit
            Invoke-PesterSuite
        }
        'Pester' { Invoke-PesterSuite }
        'Package' { Invoke-Package }
    }
}
