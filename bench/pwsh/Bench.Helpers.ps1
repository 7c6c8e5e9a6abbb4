# Shared by the pwsh benchmarks: the test helpers (module path, fake ICA server, this pwsh's
# command line), a scratch folder in place of Pester's $TestDrive, and the median.
$TestDrive = Join-Path ([IO.Path]::GetTempPath()) "ica-bench-$PID"
New-Item -ItemType Directory -Force $TestDrive | Out-Null
. (Join-Path $PSScriptRoot '../../tests/Pester.Helpers.ps1')

function Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

function Start-Bench {
    # The fake ICA server, the module imported, and a profile 'bench' for it; the key is handed
    # to child processes in $env:ICA_BENCH_KEY, never on a command line.
    $server = Start-FakeIca
    $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive 'profiles.yaml'
    $env:ICA_BENCH_KEY = $server.ApiKey
    Import-Module $ModuleManifest
    Set-IcaConfig -Profile bench -ServerUrl $server.Url -ApiKey (ConvertTo-SecureString $env:ICA_BENCH_KEY -AsPlainText -Force)
    $server
}

function Stop-Bench($Server) {
    Stop-FakeIca $Server
    $env:ICA_BENCH_KEY = $null
    Remove-Item -Recurse -Force $TestDrive -ErrorAction SilentlyContinue
}

function Measure-PerCall([int] $Calls, [scriptblock] $Body) {
    # Microseconds per call of a loop that makes CALLS calls.
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Body
    $clock.Elapsed.TotalMilliseconds * 1000 / $Calls
}
