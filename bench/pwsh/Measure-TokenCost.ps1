#Requires -Version 7.4
<#
.SYNOPSIS
    What Get-IcaToken costs where users are: in real pwsh, against what they would run instead.

.DESCRIPTION
    Warm: Get-IcaToken from the runspace's cache against Get-Date (a trivial binary cmdlet), the
    same number of calls, interleaved rounds, same process. Cold: a fresh pwsh that imports the
    module and mints its first token, against a fresh pwsh that sends the same POST with a bare
    Invoke-RestMethod; both timed inside the process (script start to token) and as whole
    processes. Kept: a fresh pwsh that imports the module and takes the profile's token kept by an
    earlier process (no request), against a fresh pwsh that only imports the module. The fake ICA
    server on 127.0.0.1 answers.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build
    dotnet pwsh ./bench/pwsh/Measure-TokenCost.ps1 -OutFile bench/results/pwsh-token-cost.md
#>
param(
    [int] $Calls = 20000,
    [int] $Rounds = 15,
    [int] $Processes = 15,
    [string] $OutFile,
    # Another build of the module to measure (its manifest), e.g. a ReadyToRun experiment.
    [string] $ManifestPath
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Bench.Helpers.ps1')
if ($ManifestPath) { $ModuleManifest = (Resolve-Path $ManifestPath).Path }
# How busy the machine was (others share it): the load averages at the start and at the end.
function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { 'n/a' } }
$loadAtStart = Get-LoadAverage
$server = Start-Bench
try {
    Get-IcaToken -Profile bench | Out-Null

    $warmToken = [Collections.Generic.List[double]]::new()
    $warmDate = [Collections.Generic.List[double]]::new()
    foreach ($round in 1..$Rounds) {
        $warmDate.Add((Measure-PerCall $Calls { for ($i = 0; $i -lt $Calls; $i++) { $null = Get-Date } }))
        $warmToken.Add((Measure-PerCall $Calls { for ($i = 0; $i -lt $Calls; $i++) { $null = Get-IcaToken -Profile bench } }))
    }

    $module = @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModuleManifest'
`$t = Get-IcaToken -ApiKey (ConvertTo-SecureString `$env:ICA_BENCH_KEY -AsPlainText -Force) -ServerUrl '$($server.Url)'
if (`$t.Source -ne 'Minted') { throw 'no token' }
'{0:F1}' -f `$clock.Elapsed.TotalMilliseconds
"@
    $bare = @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$t = Invoke-RestMethod -Method Post -Uri '$($server.Url)/ica/rest/api/tokens' -NoProxy -Headers @{ 'X-API-Key' = `$env:ICA_BENCH_KEY; Accept = 'application/vnd.illumina.v3+json' }
if (-not `$t.token) { throw 'no token' }
'{0:F1}' -f `$clock.Elapsed.TotalMilliseconds
"@
    # A process whose profile token another process kept: import + first token, against import alone.
    $kept = @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModuleManifest'
`$t = Get-IcaToken -Profile bench
if (`$t.Source -ne 'Kept') { throw "not kept: `$(`$t.Source)" }
'{0:F1}' -f `$clock.Elapsed.TotalMilliseconds
"@
    $importOnly = @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModuleManifest'
if (-not (Get-Command Get-IcaToken)) { throw 'not imported' }
'{0:F1}' -f `$clock.Elapsed.TotalMilliseconds
"@
    function Measure-Process([string] $Script) {
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $inside = & $PowerShellCommand[0] @($PowerShellCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
        if ($LASTEXITCODE -ne 0) { throw "The process failed: $inside" }
        [pscustomobject]@{ Inside = [double]($inside | Select-Object -Last 1); Whole = $clock.Elapsed.TotalMilliseconds }
    }
    $coldModule = [Collections.Generic.List[object]]::new()
    $coldBare = [Collections.Generic.List[object]]::new()
    $coldKept = [Collections.Generic.List[object]]::new()
    $coldImport = [Collections.Generic.List[object]]::new()
    Get-IcaToken -Profile bench -Force | Out-Null   # mints and keeps the profile's token
    foreach ($i in 1..$Processes) {
        $coldBare.Add((Measure-Process $bare))
        $coldModule.Add((Measure-Process $module))
        $coldImport.Add((Measure-Process $importOnly))
        $coldKept.Add((Measure-Process $kept))
    }
}
finally {
    Stop-Bench $server
}

# Warm rounds alternate, so each ratio pairs two loops run seconds apart: the machine's noise
# (shared, 2 cores) moves both. The ratio reported is the median of those per-round ratios.
$pairedRatio = Median (0..($Rounds - 1) | ForEach-Object { $warmToken[$_] / $warmDate[$_] })
function Minimum([double[]] $Values) { ($Values | Measure-Object -Minimum).Minimum }
function Row([string] $What, [double[]] $Measured, [string] $Baseline, [double[]] $Against, [double] $Bar, [double] $Ratio = -1) {
    [pscustomobject]@{
        What = $What; Median = Median $Measured; Min = Minimum $Measured
        Baseline = $Baseline; BaselineMedian = Median $Against; BaselineMin = Minimum $Against; Bar = $Bar
        Ratio = $(if ($Ratio -ge 0) { $Ratio } else { (Median $Measured) / (Median $Against) })
        MinRatio = (Minimum $Measured) / (Minimum $Against)
    }
}
$rows = @(
    Row 'warm Get-IcaToken -Profile (us/call)' $warmToken 'Get-Date' $warmDate 1.1 $pairedRatio
    Row 'cold: import + first token, in process (ms)' $coldModule.Inside 'bare Invoke-RestMethod POST, in process' $coldBare.Inside 1.2
    Row 'cold: whole pwsh process (ms)' $coldModule.Whole 'bare Invoke-RestMethod POST process' $coldBare.Whole 1.2
    Row 'kept: import + first token, in process (ms)' $coldKept.Inside 'import alone, in process' $coldImport.Inside 1.1
    Row 'kept: whole pwsh process (ms)' $coldKept.Whole 'import-only pwsh process' $coldImport.Whole 1.1
    Row 'kept: whole pwsh process (ms)' $coldKept.Whole 'bare Invoke-RestMethod POST process' $coldBare.Whole 1.2
)
$lines = @(
    "PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription), $([Environment]::ProcessorCount) cores; $Calls calls x $Rounds rounds (warm), $Processes processes each (cold); medians."
    "Load average (1, 5, 15 min) at the start: $loadAtStart; at the end: $(Get-LoadAverage)."
    "Reproduce: ``dotnet pwsh ./bench/pwsh/Measure-TokenCost.ps1 -Calls $Calls -Rounds $Rounds -Processes $Processes$(if ($ManifestPath) { " -ManifestPath $ManifestPath" })$(if ($OutFile) { " -OutFile $OutFile" })`` (after ``dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build``)."
    ''
    '| measured | median | min | against | its median | its min | ratio (medians) | ratio (mins) | bar |'
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |'
) + ($rows | ForEach-Object { '| {0} | {1:F1} | {2:F1} | {3} | {4:F1} | {5:F1} | {6:F2}x | {7:F2}x | {8}x |' -f $_.What, $_.Median, $_.Min, $_.Baseline, $_.BaselineMedian, $_.BaselineMin, $_.Ratio, $_.MinRatio, $_.Bar })
# Each kept process ran right after an import-only one: the median of those pairs' ratios.
$lines += ''
$lines += 'kept against import alone, in process, paired per round (median of the ratios): {0:F2}x' -f (Median (0..($Processes - 1) | ForEach-Object { $coldKept[$_].Inside / $coldImport[$_].Inside }))
$lines | Write-Output
if ($OutFile) { $lines | Set-Content -Path $OutFile }
