#Requires -Version 7.4
<#
.SYNOPSIS
    What Invoke-IcaRestMethod costs where users are: in real pwsh, against what they would write instead.

.DESCRIPTION
    GET: Invoke-IcaRestMethod against Invoke-RestMethod with a hand-made Bearer header and a
    cached token (what a user of Get-IcaToken writes), the same request to the same fake ICA
    server, interleaved rounds in one process; the ratio is the median of the per-round ratios.

    Paging over 10,000 and 50,000 items (pages of 100), each run in a fresh pwsh: -All streamed
    into the pipeline, against the hand-written loop that collects every page before the script
    uses an item, each against a one-page call: the peak working set, the live managed memory at
    the end (what is still held), and when the first item reaches the script.

    Prefetch: 100 pages from a server that takes 50 ms a page (-PageDelayMs), the script doing
    some work with each item (a JSON round trip, as a script that saves or reshapes items does):
    -All, which asks for the next page while the current one is written, against the loop a user
    writes with one Invoke-IcaRestMethod per page (pageToken by hand), and against the floor, -All
    with no work at all; interleaved rounds in this process.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build
    dotnet pwsh ./bench/pwsh/Measure-RestCost.ps1 -OutFile bench/results/pwsh-rest-cost.md
#>
param(
    [int] $Calls = 300,
    [int] $Rounds = 11,
    [int] $Processes = 3,
    [int] $Items = 10000,
    [int] $PageDelayMs = 50,
    [int] $PrefetchRounds = 5,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Bench.Helpers.ps1')
$server = Start-Bench
try {
    # --- One GET, warm: both sides hold a token and have sent the request once.
    $uri = "$($server.Url)/ica/rest/api/projects/p00001"
    $headers = @{ Authorization = "Bearer $(Get-IcaToken -Profile bench -AsPlainText)"; Accept = 'application/vnd.illumina.v3+json' }
    if ((Invoke-IcaRestMethod projects/p00001 -Profile bench).id -ne 'p00001') { throw 'no project' }
    if ((Invoke-RestMethod -Uri $uri -Headers $headers -NoProxy).id -ne 'p00001') { throw 'no project' }
    $ours = [Collections.Generic.List[double]]::new()
    $theirs = [Collections.Generic.List[double]]::new()
    foreach ($round in 1..$Rounds) {
        $theirs.Add((Measure-PerCall $Calls { for ($i = 0; $i -lt $Calls; $i++) { $null = Invoke-RestMethod -Uri $uri -Headers $headers -NoProxy } }))
        $ours.Add((Measure-PerCall $Calls { for ($i = 0; $i -lt $Calls; $i++) { $null = Invoke-IcaRestMethod projects/p00001 -Profile bench } }))
    }
    $getRatio = Median (0..($Rounds - 1) | ForEach-Object { $ours[$_] / $theirs[$_] })

    # --- Prefetch: 100 pages of 100 from a server that takes PageDelayMs a page. The script's
    # work with each item is a JSON round trip (what a script that saves or reshapes items does);
    # the same -All with no work at all is the floor: what the server and the transport cost.
    Invoke-FakeIca $server settings @{ projectCount = 10000; pageDelayMilliseconds = $PageDelayMs } | Out-Null
    $floor = [Collections.Generic.List[double]]::new()
    $prefetched = [Collections.Generic.List[double]]::new()
    $pageByPage = [Collections.Generic.List[double]]::new()
    $work = { $null = ConvertTo-Json -InputObject $_ -Compress | ConvertFrom-Json; $script:n++ }
    foreach ($round in 1..$PrefetchRounds) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:n = 0
        Invoke-IcaRestMethod projects -All -PageSize 100 -Profile bench | ForEach-Object { $script:n++ }
        $floor.Add($clock.Elapsed.TotalMilliseconds)
        if ($script:n -ne 10000) { throw "-All wrote $($script:n) items" }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:n = 0
        Invoke-IcaRestMethod projects -All -PageSize 100 -Profile bench | ForEach-Object $work
        $prefetched.Add($clock.Elapsed.TotalMilliseconds)
        if ($script:n -ne 10000) { throw "-All wrote $($script:n) items" }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:n = 0; $token = $null
        do {
            $query = @{ pageSize = 100 }
            if ($token) { $query.pageToken = $token }
            $page = Invoke-IcaRestMethod projects -Query $query -Profile bench
            $page.items | ForEach-Object $work
            $token = $page.nextPageToken
        } while ($token)
        $pageByPage.Add($clock.Elapsed.TotalMilliseconds)
        if ($script:n -ne 10000) { throw "the page loop wrote $($script:n) items" }
    }
    Invoke-FakeIca $server settings @{ pageDelayMilliseconds = 0 } | Out-Null

    # --- Paging, each scenario in a fresh process (peak working set only grows), at two sizes so
    # that what grows with the number of items shows. Live memory is read once, at the end, with
    # everything the script still holds (a forced collection earlier would hide the peak).
    $prelude = @"
`$ProgressPreference = 'SilentlyContinue'   # nobody watches; a redirected pwsh would write it out as CLIXML
Import-Module '$ModuleManifest'
`$key = ConvertTo-SecureString `$env:ICA_BENCH_KEY -AsPlainText -Force
`$null = Invoke-IcaRestMethod projects/p00001 -ApiKey `$key -ServerUrl '$($server.Url)'
[GC]::Collect()
`$clock = [Diagnostics.Stopwatch]::StartNew()
"@
    $scenarios = [ordered]@{
        'one page' = @"
`$page = Invoke-IcaRestMethod projects -PageSize 100 -ApiKey `$key -ServerUrl '$($server.Url)' | ForEach-Object { `$first = `$clock.Elapsed.TotalMilliseconds; `$_ }
`$count = `$page.items.Count
`$live = [GC]::GetTotalMemory(`$true)
"@
        '-All, streamed' = @"
`$first = `$null; `$count = 0
Invoke-IcaRestMethod projects -All -PageSize 100 -ApiKey `$key -ServerUrl '$($server.Url)' | ForEach-Object {
    if (`$count++ -eq 0) { `$first = `$clock.Elapsed.TotalMilliseconds }
    if (`$count -eq `$env:ICA_BENCH_ITEMS) { `$live = [GC]::GetTotalMemory(`$true) }   # at the last item
}
"@
        'hand-written loop collecting every page' = @"
`$headers = @{ Authorization = "Bearer `$(Get-IcaToken -ApiKey `$key -ServerUrl '$($server.Url)' -AsPlainText)"; Accept = 'application/vnd.illumina.v3+json' }
`$all = @(); `$token = `$null
do {
    `$q = if (`$token) { "&pageToken=`$token" } else { '' }
    `$page = Invoke-RestMethod -Uri "$($server.Url)/ica/rest/api/projects?pageSize=100`$q" -Headers `$headers -NoProxy
    `$all += `$page.items; `$token = `$page.nextPageToken
} while (`$token)
`$first = `$clock.Elapsed.TotalMilliseconds   # the script has its first item only now
`$count = `$all.Count
`$live = [GC]::GetTotalMemory(`$true)
"@
    }
    function Measure-Scenario([string] $Script) {
        $body = $prelude + "`n" + $Script + "`n" + "'{0} {1:F1} {2} {3}' -f `$count, `$first, [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64, `$live"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($body))
        $out = & $PowerShellCommand[0] @($PowerShellCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
        if ($LASTEXITCODE -ne 0) { throw "The process failed: $out" }
        $count, $first, $peak, $live = ($out | Select-Object -Last 1) -split ' '
        [pscustomobject]@{ Count = [int]$count; FirstMs = [double]$first; PeakMB = [double]$peak / 1MB; LiveMB = [double]$live / 1MB }
    }
    # The runtime sizes its first GC generation from the L3 cache; this machine's is 260 MB, so
    # the heap grows by tens of MB before the first collection whatever the script holds. The
    # second budget, 16 MB (DOTNET_GCgen0size), is what a desktop or build agent CPU gives.
    $budgets = [ordered]@{ 'runtime default' = $null; '16 MB gen0' = '0x1000000' }
    $paging = [Collections.Generic.List[object]]::new()
    foreach ($size in $Items, ($Items * 5)) {
        Invoke-FakeIca $server settings @{ projectCount = $size } | Out-Null
        $env:ICA_BENCH_ITEMS = $size
        foreach ($budget in $budgets.Keys) {
            $env:DOTNET_GCgen0size = $budgets[$budget]
            foreach ($i in 1..$Processes) {
                foreach ($name in $scenarios.Keys) {
                    if ($name -like 'hand-written*' -and $budgets[$budget]) { continue }   # shown once, for contrast
                    $run = Measure-Scenario $scenarios[$name]
                    $expected = if ($name -eq 'one page') { 100 } else { $size }
                    if ($run.Count -ne $expected) { throw "$name over $size items wrote $($run.Count) items, not $expected." }
                    $paging.Add(($run | Add-Member -PassThru NoteProperty Scenario $name | Add-Member -PassThru NoteProperty Size $size | Add-Member -PassThru NoteProperty Budget $budget))
                }
            }
        }
        $env:DOTNET_GCgen0size = $null
    }
}
finally {
    Stop-Bench $server
}

function Figure($scenario, $size, $budget, $property) { Median ($paging | Where-Object { $_.Scenario -eq $scenario -and $_.Size -eq $size -and $_.Budget -eq $budget } | ForEach-Object $property) }
$lines = @(
    "PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription), $([Environment]::ProcessorCount) cores; GET: $Calls calls x $Rounds rounds; paging: $Processes fresh processes per scenario and size, pages of 100; medians."
    ''
    '| measured | median | against | its median | ratio | bar |'
    '| --- | ---: | --- | ---: | ---: | ---: |'
    ('| GET `Invoke-IcaRestMethod projects/p00001` (us/call) | {0:F0} | `Invoke-RestMethod` with a Bearer header and a cached token | {1:F0} | {2:F2}x | at most 1.1x |' -f (Median $ours), (Median $theirs), $getRatio)
    ('| 100 pages at {0} ms each, each item used: `-All` (ms) | {1:F0} | one `Invoke-IcaRestMethod` per page, pageToken by hand, the same work | {2:F0} | {3:F2}x | near the floor: `-All` with no work, {4:F0} ms ({5:F0} ms over it; the loop: {6:F0} ms over it) |' -f $PageDelayMs, (Median $prefetched), (Median $pageByPage), ((Median $prefetched) / (Median $pageByPage)), (Median $floor), ((Median $prefetched) - (Median $floor)), ((Median $pageByPage) - (Median $floor)))
    ''
    '| paging (medians) | GC | items | peak working set (MB) | over one page (MB) | live memory at the end (MB) | over one page (MB) | first item (ms) | vs one page''s round trip |'
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
) + @(foreach ($size in $Items, ($Items * 5)) {
        foreach ($budget in $budgets.Keys) {
            $one = @{ Peak = Figure 'one page' $size $budget PeakMB; Live = Figure 'one page' $size $budget LiveMB; First = Figure 'one page' $size $budget FirstMs }
            foreach ($scenario in '-All, streamed', 'hand-written loop collecting every page') {
                if (-not ($paging | Where-Object { $_.Scenario -eq $scenario -and $_.Budget -eq $budget })) { continue }
                '| {0} | {1} | {2:N0} | {3:F1} | +{4:F1} | {5:F1} | +{6:F1} | {7:F1} | {8:F2}x |' -f $scenario, $budget, $size, (Figure $scenario $size $budget PeakMB), ((Figure $scenario $size $budget PeakMB) - $one.Peak),
                    (Figure $scenario $size $budget LiveMB), ((Figure $scenario $size $budget LiveMB) - $one.Live), (Figure $scenario $size $budget FirstMs), ((Figure $scenario $size $budget FirstMs) / $one.First)
            }
            '| one page (100 items, baseline) | {0} | {1:N0} | {2:F1} | | {3:F1} | | {4:F1} | |' -f $budget, $size, $one.Peak, $one.Live, $one.First
        }
    })
$lines | Write-Output
if ($OutFile) { $lines | Set-Content -Path $OutFile }
