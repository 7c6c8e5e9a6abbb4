#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages IcaPowerShell. Works in Windows PowerShell 5.1 and PowerShell 7.

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Demo    # build, then use the module against the fake ICA server
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test    # build, xunit on .NET 8, .NET 10 and net472 (.NET Framework; Mono on Linux), Pester; ends with "N passed, N failed"
.EXAMPLE
    ./build.ps1 -Task Pester              # the module, then the Pester suite only
.EXAMPLE
    ./build.ps1 -Task Pester -PesterPath tests/IcaRestMethod.Tests.ps1   # one Pester file
.EXAMPLE
    ./build.ps1 -Task Package        # out/packages/IcaPowerShell.<version>.nupkg, for the PowerShell Gallery
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    # Clean, Build, Demo, Test, Xunit, Pester, Package (checked below, after splitting on commas).
    [ArgumentCompleter({ param($c, $p, $word) 'Clean', 'Build', 'Demo', 'Test', 'Xunit', 'Pester', 'Package' | Where-Object { $_ -like "$word*" } })]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The Pester files to run (default: all of tests/), e.g. -PesterPath tests/IcaRestMethod.Tests.ps1.
    [string[]] $PesterPath = @(Join-Path $PSScriptRoot 'tests'),

    # Through pwsh -File, '-Task Clean, Build, Test' arrives as "Clean," then "Build," and "Test":
    # the words after the first land here and are tasks too.
    [Parameter(ValueFromRemainingArguments = $true, DontShow = $true)]
    [string[]] $MoreTasks = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# 'pwsh ./build.ps1 -Task Clean, Build, Test' (pwsh -File) passes "Clean," "Build," "Test": split as
# a user means it, then refuse what is not a task (a ValidateSet would refuse "Clean," itself).
$Task = @($Task + $MoreTasks | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$knownTasks = @('Clean', 'Build', 'Demo', 'Test', 'Xunit', 'Pester', 'Package')
foreach ($name in $Task) {
    if ($knownTasks -notcontains $name) { throw "Unknown task '$name'. The tasks are: $($knownTasks -join ', ')." }
}
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
    # @(...) and ForEach-Object: on a fresh clone there is no bin or obj, and under StrictMode
    # '.FullName' of nothing is an error ("The property 'FullName' cannot be found").
    $folders = @(Join-Path $root 'out') + @(Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object { $_.FullName })
    foreach ($path in $folders) {
        if (Test-Path $path) { Remove-Item -Recurse -Force $path }
    }
}

function Invoke-Build {
    # dotnet build assembles out/IcaPowerShell (manifest, cmdlets, formats, help, Dependencies/).
    Invoke-Native dotnet @('build', (Join-Path $root 'src/IcaPowerShell/IcaPowerShell.csproj'), '-c', $Configuration, '--nologo', '-v', 'q')
}

function Get-XunitFrameworks {
    # net472 is Windows PowerShell 5.1's runtime: the .NET Framework on Windows, Mono on Linux
    # (.ci/run installs it). macOS is not given it (Mono there is not ours to install): said, not hidden.
    $frameworks = @('net8.0', 'net10.0')
    $onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
    $onMac = -not $onWindows -and (Test-Path '/System/Library/CoreServices/SystemVersion.plist')
    if ($onWindows -or -not $onMac) { $frameworks += 'net472' }
    else { Write-Host 'xunit: net472 (the .NET Framework runtime) is not run on macOS.' }
    if ('net472' -in $frameworks -and -not $onWindows -and -not (Get-Command mono -ErrorAction SilentlyContinue)) {
        Write-Host 'xunit: net472 needs Mono here (apt-get install -y mono-complete); it counts as a missing runtime.'
    }
    $frameworks
}

function Invoke-Xunit {
    # dotnet test prints one summary per runtime: "Passed!  - Failed: 0, Passed: 243, Skipped: 0, ...".
    # One run per framework, so each runtime's summary is its own; every one must report.
    $frameworks = @(Get-XunitFrameworks)
    $lines = foreach ($framework in $frameworks) {
        # Windows PowerShell 5.1 turns a native command's stderr line into an error record under
        # 2>&1, and $ErrorActionPreference = 'Stop' makes it terminating: take it as text.
        $ErrorActionPreference = 'Continue'
        & dotnet test (Join-Path $root 'tests/IcaPowerShell.Tests') -c $Configuration -f $framework 2>&1 | ForEach-Object { $text = "$_"; Write-Host $text; $text }
        if ($LASTEXITCODE -ne 0) { "xunit-exit: $framework $LASTEXITCODE" }
        $ErrorActionPreference = 'Stop'
    }
    $summaries = @($lines | Where-Object { $_ -match '^\s*(Passed|Failed)! ' })
    $count = { param($name) ($summaries | ForEach-Object { [int]([regex]::Match($_, "${name}: +(\d+)").Groups[1].Value) } | Measure-Object -Sum).Sum }
    $failed = [int](& $count 'Failed')
    $exits = @($lines | Where-Object { $_ -like 'xunit-exit: *' })
    # Every runtime must report; a build error or a crashed host reports nothing and counts as a failure.
    if ($summaries.Count -lt $frameworks.Count -or ($exits.Count -gt 0 -and $failed -eq 0)) {
        Write-Host "xunit: $($summaries.Count) of $($frameworks.Count) runtime summaries ($($frameworks -join ', ')); $($exits -join '; ')"
        $failed++
    }
    foreach ($summary in $summaries) { Write-Host "xunit: $($summary.Trim())" }
    [pscustomobject]@{ Passed = [int](& $count 'Passed'); Failed = $failed; Skipped = [int](& $count 'Skipped') }
}

function Invoke-Demo {
    # What README's first command shows: the built module in this PowerShell, against the fake ICA server.
    Invoke-Native dotnet @('build', (Join-Path $root 'tests/FakeIca/FakeIca.csproj'), '-c', $Configuration, '-f', 'net10.0', '--nologo', '-v', 'q')
    $env:ICAPOWERSHELL_BUILD_CONFIGURATION = $Configuration
    . (Join-Path $root 'tests/Pester.Helpers.ps1')
    # A new folder only this user can enter, never one found there: a guessable name in the shared
    # temp folder could be another user's (the fake server's log, with its key, is written into it).
    $demoFolder = if ([System.IO.Directory] | Get-Member -Static -Name CreateTempSubdirectory) {
        [System.IO.Directory]::CreateTempSubdirectory('icapowershell-demo-').FullName   # mode 0700 on Unix
    }
    else {
        (New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) "icapowershell-demo-$([guid]::NewGuid().ToString('N'))")).FullName
    }
    $server = Start-FakeIca -LogFolder $demoFolder
    try {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $demoFolder 'powershell-profiles.yaml'
        Import-Module (Join-Path $moduleFolder 'IcaPowerShell.psd1') -Force
        Write-Host "> Set-IcaConfig -Profile demo -ServerUrl $($server.Url) -ApiKey <SecureString> -PassThru"
        Set-IcaConfig -Profile demo -ServerUrl $server.Url -ApiKey (ConvertTo-SecureString $server.ApiKey -AsPlainText -Force) -PassThru | Format-Table | Out-Host
        Write-Host '> Get-IcaToken -Profile demo'
        Get-IcaToken -Profile demo | Out-Host
        Write-Host '> Get-IcaToken -Profile demo   # again: from the cache'
        Get-IcaToken -Profile demo | Format-Table Source, ExpiresOn | Out-Host
        Write-Host '> Invoke-IcaRestMethod projects -Profile demo -All | Select-Object -First 3 id, name, version   # the same token'
        Invoke-IcaRestMethod projects -Profile demo -All | Select-Object -First 3 id, name, version | Format-Table | Out-Host
        Write-Host '> pwsh -c "(Get-IcaToken -Profile demo).Source"   # another process takes the kept token'
        $kept = & $PowerShellCommand[0] @($PowerShellCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$(Join-Path $moduleFolder 'IcaPowerShell.psd1')'; (Get-IcaToken -Profile demo).Source"
        Write-Host $kept
        Write-Host '> Set-IcaContext -Profile demo; Get-IcaContext   # what the next call will use'
        Set-IcaContext -Profile demo
        Get-IcaContext | Format-List Source, Profile, ServerUrl, Tenant, TokenState | Out-Host
        Write-Host "> Get-Content $env:ICAPOWERSHELL_CONFIG_PATH   # the key is encrypted"
        Get-Content $env:ICAPOWERSHELL_CONFIG_PATH | Out-Host
    }
    finally {
        Stop-FakeIca $server
        Remove-Item -Recurse -Force $demoFolder -ErrorAction SilentlyContinue
        $env:ICAPOWERSHELL_CONFIG_PATH = $null
    }
}

function Import-PesterFromNuGet {
    # Pester comes from NuGet (tests/Pester restores it), never from the PowerShell Gallery; so
    # does the other YamlDotNet that the load-conflict tests load first.
    $project = Join-Path $root 'tests/Pester/Pester.csproj'
    Invoke-Native dotnet @('restore', $project, '--nologo', '-v', 'q')
    # The packages folder and versions as MSBuild knows them, joined here: NuGetPackageRoot keeps
    # NUGET_PACKAGES as it was set, with or without a trailing slash (pipeline caches set it without).
    $properties = (& dotnet msbuild $project -nologo -getProperty:NuGetPackageRoot -getProperty:PesterVersion -getProperty:OtherYamlDotNetVersion | Out-String | ConvertFrom-Json).Properties
    $paths = @{
        Pester     = Join-Path $properties.NuGetPackageRoot "pester/$($properties.PesterVersion)/tools/Pester.psd1"
        YamlDotNet = Join-Path $properties.NuGetPackageRoot "yamldotnet/$($properties.OtherYamlDotNetVersion)/lib/netstandard2.0/YamlDotNet.dll"
    }
    foreach ($name in 'Pester', 'YamlDotNet') {
        if (-not $paths[$name] -or -not (Test-Path $paths[$name])) { throw "tests/Pester restored, but $name is not where it said: '$($paths[$name])'." }
    }
    $env:ICAPOWERSHELL_TEST_OTHER_YAMLDOTNET = $paths['YamlDotNet']
    Import-Module $paths['Pester'] -Force -Global
}

function Invoke-PesterSuite {
    param([string[]] $Path = $PesterPath)
    # 'pwsh -File build.ps1 -PesterPath a,b' passes one string: split it as a user means it.
    $Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
    Import-PesterFromNuGet
    # The suite starts the fake ICA server and imports the module from out/, so both must be built.
    Invoke-Native dotnet @('build', (Join-Path $root 'tests/FakeIca/FakeIca.csproj'), '-c', $Configuration, '-f', 'net10.0', '--nologo', '-v', 'q')
    $pesterConfig = New-PesterConfiguration
    $pesterConfig.Run.Path = $Path
    $pesterConfig.Run.PassThru = $true
    $pesterConfig.Output.Verbosity = 'Detailed'
    $pesterConfig.TestResult.Enabled = $true
    $pesterConfig.TestResult.OutputPath = Join-Path $root 'out/pester-results.xml'
    $env:ICAPOWERSHELL_BUILD_CONFIGURATION = $Configuration
    $result = Invoke-Pester -Configuration $pesterConfig
    foreach ($container in $result.Containers) {
        $tests = @($result.Tests | Where-Object { $_.Block.Root -eq $container.Blocks[0].Root })
        Write-Host ("Pester {0}: {1} passed, {2} failed, {3} skipped" -f (Split-Path -Leaf $container.Item),
            @($tests | Where-Object Result -EQ 'Passed').Count, @($tests | Where-Object Result -EQ 'Failed').Count, @($tests | Where-Object Result -EQ 'Skipped').Count)
    }
    # A failure in BeforeAll fails every test of its file; a file that could not run counts once.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount }
}

function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    if (-not (Get-Command Publish-PSResource -ErrorAction SilentlyContinue)) {
        throw 'Packaging needs Microsoft.PowerShell.PSResourceGet (built into PowerShell 7.4; Install-Module Microsoft.PowerShell.PSResourceGet elsewhere).'
    }
    # The licence travels in the package, beside the manifest that names it.
    Copy-Item (Join-Path $root 'LICENSE') (Join-Path $moduleFolder 'LICENSE') -Force
    # A folder repository of our own for the length of the publish, removed afterwards: the user's
    # PSResourceGet settings are left as they were (a repository already of that name is reused).
    $repository = 'IcaPowerShellLocal'
    $registered = $false
    if (-not (Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $repository -Uri $packages
        $registered = $true
    }
    try {
        Publish-PSResource -Path $moduleFolder -Repository $repository
    }
    finally {
        if ($registered) { Unregister-PSResourceRepository -Name $repository }
    }
    Get-ChildItem $packages -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName) ($($_.Length) bytes)" }
}

$totals = @()
foreach ($step in $Task) {
    Write-Host "=== $step"
    switch ($step) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        # Each of these builds the module first: a fresh clone needs nothing else.
        'Demo' { Invoke-Build; Invoke-Demo }
        'Test' { Invoke-Build; $totals += Invoke-Xunit; $totals += Invoke-PesterSuite }
        'Xunit' { Invoke-Build; $totals += Invoke-Xunit }
        'Pester' { Invoke-Build; $totals += Invoke-PesterSuite }
        'Package' { Invoke-Package }
    }
}

if ($totals) {
    $passed = ($totals | Measure-Object -Property Passed -Sum).Sum
    $failed = ($totals | Measure-Object -Property Failed -Sum).Sum
    $skipped = ($totals | Measure-Object -Property Skipped -Sum).Sum
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}
