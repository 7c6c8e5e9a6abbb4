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
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Bench.Helpers.ps1')
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
$rows = @(
    [pscustomobject]@{ What = 'warm Get-IcaToken -Profile (us/call)'; Median = Median $warmToken; Min = ($warmToken | Measure-Object -Minimum).Minimum; Baseline = 'Get-Date'; BaselineMedian = Median $warmDate; Bar = 1.1; Ratio = $pairedRatio }
    [pscustomobject]@{ What = 'cold: import + first token, in process (ms)'; Median = Median $coldModule.Inside; Min = ($coldModule.Inside | Measure-Object -Minimum).Minimum; Baseline = 'bare Invoke-RestMethod POST, in process'; BaselineMedian = Median $coldBare.Inside; Bar = 1.2; Ratio = (Median $coldModule.Inside) / (Median $coldBare.Inside) }
    [pscustomobject]@{ What = 'cold: whole pwsh process (ms)'; Median = Median $coldModule.Whole; Min = ($coldModule.Whole | Measure-Object -Minimum).Minimum; Baseline = 'bare Invoke-RestMethod POST process'; BaselineMedian = Median $coldBare.Whole; Bar = 1.2; Ratio = (Median $coldModule.Whole) / (Median $coldBare.Whole) }
    [pscustomobject]@{ What = 'kept: import + first token, in process (ms)'; Median = Median $coldKept.Inside; Min = ($coldKept.Inside | Measure-Object -Minimum).Minimum; Baseline = 'import alone, in process'; BaselineMedian = Median $coldImport.Inside; Bar = 1.1; Ratio = (Median $coldKept.Inside) / (Median $coldImport.Inside) }
    [pscustomobject]@{ What = 'kept: whole pwsh process (ms)'; Median = Median $coldKept.Whole; Min = ($coldKept.Whole | Measure-Object -Minimum).Minimum; Baseline = 'import-only pwsh process'; BaselineMedian = Median $coldImport.Whole; Bar = 1.1; Ratio = (Median $coldKept.Whole) / (Median $coldImport.Whole) }
    [pscustomobject]@{ What = 'kept: whole pwsh process (ms)'; Median = Median $coldKept.Whole; Min = ($coldKept.Whole | Measure-Object -Minimum).Minimum; Baseline = 'bare Invoke-RestMethod POST process'; BaselineMedian = Median $coldBare.Whole; Bar = 1.2; Ratio = (Median $coldKept.Whole) / (Median $coldBare.Whole) }
)
$lines = @(
    "PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription), $([Environment]::ProcessorCount) cores; $Calls calls x $Rounds rounds (warm), $Processes processes each (cold); medians."
    ''
    '| measured | median | min | against | its median | ratio | bar |'
    '| --- | ---: | ---: | --- | ---: | ---: | ---: |'
) + ($rows | ForEach-Object { '| {0} | {1:F1} | {2:F1} | {3} | {4:F1} | {5:F2}x | {6}x |' -f $_.What, $_.Median, $_.Min, $_.Baseline, $_.BaselineMedian, $_.Ratio, $_.Bar })
$lines | Write-Output
if ($OutFile) { $lines | Set-Content -Path $OutFile }
