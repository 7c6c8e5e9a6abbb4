#Requires -Version 7.4
<#
.SYNOPSIS
    Where the first Get-IcaToken of a fresh process spends its time, when another process kept the token.

.DESCRIPTION
    Measure-TokenCost.ps1 compares import + first kept token with import alone (issue 18's 1.1x bar).
    This script splits the first call into parts, each the median over fresh pwsh processes of the
    time after Import-Module, all in the same run, interleaved:
      - Get-Command Get-IcaToken: what "import alone" adds after the import;
      - Clear-IcaContext: a cmdlet of the module that reads no file and decrypts nothing (PowerShell's
        first binding of one of our cmdlets, the runspace's session);
      - Get-IcaToken with $env:ICAV2_ACCESS_TOKEN: the token machinery, no file and no crypto;
      - Get-IcaToken -Profile, kept: the profile file, the kept token file and the key file read with
        their checks, the record decrypted and authenticated;
      - the platform's crypto, first use: one HMAC-SHA256 and one AES-CBC round trip from the script,
        against the same calls on a type that needs no crypto (the difference is the crypto's own).
    Each row also shows how much of it the pipeline thread spent JIT-compiling (with the type loads that
    triggers; [Runtime.JitInfo]) and how many methods it compiled. The fake ICA server on 127.0.0.1
    answers the one mint that keeps the token.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build
    dotnet pwsh ./bench/pwsh/Measure-FirstCall.ps1 -Processes 20 -OutFile bench/results/pwsh-first-call.md
#>
param(
    [int] $Processes = 15,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Bench.Helpers.ps1')
$server = Start-Bench
try {
    $jwt = (Get-IcaToken -Profile bench -Force).ToPlainText()   # mints and keeps the profile's token
    $import = "Import-Module '$ModuleManifest'"
    # The JWT reaches the children in their environment, never on a command line.
    $env:ICA_BENCH_JWT = $jwt
    $parts = [ordered]@{
        'Get-Command Get-IcaToken (import alone)'                = '$null = Get-Command Get-IcaToken'
        'Clear-IcaContext (no file, no crypto)'                  = 'Clear-IcaContext -Confirm:$false'
        'Get-IcaToken from $env:ICAV2_ACCESS_TOKEN (no file, no crypto)' = '$env:ICAV2_ACCESS_TOKEN = $env:ICA_BENCH_JWT; if ((Get-IcaToken).Source -ne "Environment") { throw "not from the environment" }'
        'Get-IcaToken -Profile, kept (three files, decryption)'  = 'if ((Get-IcaToken -Profile bench).Source -ne "Kept") { throw "not kept" }'
        'HMAC-SHA256 + AES-CBC, first use, from the script'      = '$h = [Security.Cryptography.HMACSHA256]::new([byte[]]::new(32)); $null = $h.ComputeHash([byte[]]::new(64)); $a = [Security.Cryptography.Aes]::Create(); $a.Key = [byte[]]::new(32); $null = $a.CreateDecryptor().TransformFinalBlock($a.CreateEncryptor().TransformFinalBlock([byte[]]::new(5), 0, 5), 0, 16)'
        'the same calls on types without crypto'                 = '$h = [Text.StringBuilder]::new(32); $null = $h.Append([byte[]]::new(64)); $a = [Text.StringBuilder]::new(); $a.Capacity = 32; $null = $a.Append([byte[]]::new(5)).Append(0).Append(16).ToString()'
    }
    $after = @{}
    $jitTime = @{}
    $jitMethods = @{}
    foreach ($name in $parts.Keys) {
        $after[$name] = [Collections.Generic.List[double]]::new()
        $jitTime[$name] = [Collections.Generic.List[double]]::new()
        $jitMethods[$name] = [Collections.Generic.List[double]]::new()
    }
    foreach ($i in 1..$Processes) {
        foreach ($name in $parts.Keys) {
            # JitInfo counts this thread's JIT compilation, with the type loads it triggers, and the methods it compiled.
            $script = "`$clock = [Diagnostics.Stopwatch]::StartNew(); $import; `$imported = `$clock.Elapsed.TotalMilliseconds; `$jit = [Runtime.JitInfo]::GetCompilationTime(`$true).TotalMilliseconds; `$methods = [Runtime.JitInfo]::GetCompiledMethodCount(`$true); $($parts[$name]); '{0:F2} {1:F2} {2}' -f (`$clock.Elapsed.TotalMilliseconds - `$imported), ([Runtime.JitInfo]::GetCompilationTime(`$true).TotalMilliseconds - `$jit), ([Runtime.JitInfo]::GetCompiledMethodCount(`$true) - `$methods)"
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
            $output = & $PowerShellCommand[0] @($PowerShellCommand | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
            if ($LASTEXITCODE -ne 0) { throw "The process for '$name' failed: $output" }
            $figures = [double[]](($output | Select-Object -Last 1) -split ' ')
            $after[$name].Add($figures[0]); $jitTime[$name].Add($figures[1]); $jitMethods[$name].Add($figures[2])
        }
    }
}
finally {
    $env:ICA_BENCH_JWT = $null
    Stop-Bench $server
}

$lines = @(
    "PowerShell $($PSVersionTable.PSVersion) on $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription), $([Environment]::ProcessorCount) cores; $Processes fresh processes per row, interleaved; medians of the time after Import-Module."
    "Reproduce: ``dotnet pwsh ./bench/pwsh/Measure-FirstCall.ps1 -Processes $Processes$(if ($OutFile) { " -OutFile $OutFile" })`` (after ``dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build``)."
    ''
    '| first statement after the import | median ms | min ms | of it JIT on the pipeline thread, median ms | methods JIT-compiled, median |'
    '| --- | ---: | ---: | ---: | ---: |'
) + ($parts.Keys | ForEach-Object { '| {0} | {1:F1} | {2:F1} | {3:F1} | {4:F0} |' -f $_, (Median $after[$_]), ($after[$_] | Measure-Object -Minimum).Minimum, (Median $jitTime[$_]), (Median $jitMethods[$_]) })
$lines | Write-Output
if ($OutFile) { $lines | Set-Content -Path $OutFile }
