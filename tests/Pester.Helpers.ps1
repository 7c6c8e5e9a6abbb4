# Shared by the Pester suite: where the built module and the fake ICA server are, and how to
# start and stop the server. Dot-source it inside BeforeAll.

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:Configuration = if ($env:ICAPOWERSHELL_BUILD_CONFIGURATION) { $env:ICAPOWERSHELL_BUILD_CONFIGURATION } else { 'Release' }
$script:ModuleManifest = Join-Path $script:RepoRoot 'out/IcaPowerShell/IcaPowerShell.psd1'
$script:PowerShellPath = (Get-Process -Id $PID).Path

function Get-TestProgram {
    # tests/<Project>/bin/<Configuration>/<framework>/<rid>/<Project>[.exe]; any framework will do.
    param([Parameter(Mandatory)] [string] $Project)
    $name = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { "$Project.exe" } else { $Project }
    $found = Get-ChildItem -Path (Join-Path $script:RepoRoot "tests/$Project/bin/$script:Configuration") -Recurse -Filter $name |
        Sort-Object FullName | Select-Object -First 1
    if (-not $found) { throw "Build tests/$Project first (./build.ps1 -Task Pester does)." }
    $found.FullName
}

function Start-FakeIca {
    $log = Join-Path $TestDrive "fake-ica-$([guid]::NewGuid().ToString('N')).log"
    $process = Start-Process -FilePath (Get-TestProgram FakeIca) -RedirectStandardOutput $log -PassThru -NoNewWindow
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline) {
        $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
        if ($text -match 'Fake ICA listening on (\S+)' -and $text -match 'valid only for this fake server\): (\S+)') {
            $url = [regex]::Match($text, 'Fake ICA listening on (\S+)').Groups[1].Value
            $key = [regex]::Match($text, 'valid only for this fake server\): (\S+)').Groups[1].Value
            return [pscustomobject]@{ Process = $process; Url = $url; ApiKey = $key; Log = $log }
        }
        if ($process.HasExited) { throw "The fake ICA server exited with code $($process.ExitCode)." }
        Start-Sleep -Milliseconds 100
    }
    throw 'The fake ICA server did not start within 30 seconds.'
}

function Stop-FakeIca {
    param($Server)
    if ($Server -and -not $Server.Process.HasExited) { $Server.Process.Kill() }
    if ($Server) { Remove-Item -Force -ErrorAction SilentlyContinue $Server.Log }
}

function ConvertTo-TestSecret {
    param([Parameter(Mandatory)] [string] $Text)
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Invoke-FreshPowerShell {
    # Binary modules cannot be unloaded: scenarios that need a clean process run in a new one.
    param([Parameter(Mandatory)] [string] $Script)
    $output = & $script:PowerShellPath -NoProfile -NonInteractive -Command $Script 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
}
