# Shared by the Pester suite: where the built module and the fake ICA server are, how to start,
# steer and stop the server, and how to run a scenario in a fresh pwsh. Dot-source it in BeforeAll.

$RepoRoot = Split-Path -Parent $PSScriptRoot
$BuildConfiguration = if ($env:ICAPOWERSHELL_BUILD_CONFIGURATION) { $env:ICAPOWERSHELL_BUILD_CONFIGURATION } else { 'Release' }
$ModuleManifest = Join-Path $RepoRoot 'out/IcaPowerShell/IcaPowerShell.psd1'

# This same PowerShell, started again. Installed as a .NET tool, pwsh runs as 'dotnet pwsh.dll',
# so the process path alone ('dotnet') is not enough.
$PowerShellCommand = @([Environment]::GetCommandLineArgs()[0])
if ((Split-Path -Leaf ([Diagnostics.Process]::GetCurrentProcess().MainModule.FileName)) -match '^dotnet(\.exe)?$') {
    $PowerShellCommand = @([Diagnostics.Process]::GetCurrentProcess().MainModule.FileName, (Join-Path $PSHOME 'pwsh.dll'))
}
elseif ($PSVersionTable.PSEdition -eq 'Desktop') {
    $PowerShellCommand = @(Join-Path $PSHOME 'powershell.exe')
}
else {
    $PowerShellCommand = @(Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))
}

function Get-TestProgram {
    # tests/<Project>/bin/<Configuration>/<framework>/<rid>/<Project>[.exe]; the newest build wins.
    param([Parameter(Mandatory)] [string] $Project)
    $name = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { "$Project.exe" } else { $Project }
    $found = Get-ChildItem -Path (Join-Path $RepoRoot "tests/$Project/bin/$BuildConfiguration") -Recurse -Filter $name -File -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $found) { throw "Build tests/$Project first (./build.ps1 -Task Pester does)." }
    $found.FullName
}

function Start-FakeIca {
    # Reads the server's address and secrets from its first lines, then deletes that log at once,
    # so no file the tests leave behind holds the secrets.
    param([string] $LogFolder = $TestDrive)
    $log = Join-Path $LogFolder "fake-ica-$([guid]::NewGuid().ToString('N')).log"
    $process = Start-Process -FilePath (Get-TestProgram FakeIca) -ArgumentList '--parent', $PID -RedirectStandardOutput $log -PassThru -NoNewWindow
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    try {
        while ([DateTime]::UtcNow -lt $deadline) {
            $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
            $url = [regex]::Match("$text", 'Fake ICA listening on (\S+)')
            $key = [regex]::Match("$text", 'API key \(valid only for this fake server\): (\S+)')
            $basic = [regex]::Match("$text", 'Basic user \(valid only for this fake server\): (\S+) (\S+)')
            if ($url.Success -and $key.Success -and $basic.Success) {
                return [pscustomobject]@{
                    Process  = $process
                    Url      = $url.Groups[1].Value
                    ApiKey   = $key.Groups[1].Value
                    UserName = $basic.Groups[1].Value
                    Password = $basic.Groups[2].Value
                }
            }
            if ($process.HasExited) { throw "The fake ICA server exited with code $($process.ExitCode)." }
            Start-Sleep -Milliseconds 50
        }
        throw 'The fake ICA server did not start within 30 seconds.'
    }
    finally {
        Remove-Item -Force -ErrorAction SilentlyContinue $log
    }
}

function Stop-FakeIca {
    param($Server)
    if ($Server -and -not $Server.Process.HasExited) { $Server.Process.Kill(); $Server.Process.WaitForExit() }
}

function Invoke-FakeIca {
    # The fake server's control plane: faults, settings, counters (see tests/FakeIca/ControlPlane.cs).
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Action, $Body)
    $method = if ($Action -eq 'stats') { 'Get' } else { 'Post' }
    $json = if ($null -ne $Body) { ConvertTo-Json -InputObject $Body -Depth 5 -Compress } else { $null }
    $noProxy = if ($PSVersionTable.PSVersion.Major -ge 7) { @{ NoProxy = $true } } else { @{} }
    Invoke-RestMethod -Method $method -Uri "$($Server.Url)/_fake/$Action" -Body $json -ContentType 'application/json' @noProxy
}

function Get-FakeIcaStats { param($Server) Invoke-FakeIca $Server stats }
function Reset-FakeIca { param($Server) Invoke-FakeIca $Server reset | Out-Null }
function Add-FakeIcaFault {
    param($Server, [string[]] $Kind, [int] $RetryAfterSeconds = -1, [int] $DelayMilliseconds = -1)
    $faults = foreach ($k in $Kind) {
        $fault = @{ kind = $k }
        if ($RetryAfterSeconds -ge 0) { $fault.retryAfterSeconds = $RetryAfterSeconds }
        if ($DelayMilliseconds -ge 0) { $fault.delayMilliseconds = $DelayMilliseconds }
        $fault
    }
    Invoke-FakeIca $Server faults @($faults) | Out-Null
}

function ConvertTo-TestSecret {
    param([Parameter(Mandatory)] [string] $Text)
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function Invoke-FreshPowerShell {
    # Binary modules cannot be unloaded: scenarios that need a clean process run in a new one,
    # started as a pipeline would start it (-NonInteractive). The script is passed encoded, so
    # quotes in it need no escaping.
    param([Parameter(Mandatory)] [string] $Script, [switch] $Interactive, [string] $InputText)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $arguments = @('-NoProfile') + $(if (-not $Interactive) { '-NonInteractive' }) + @('-EncodedCommand', $encoded)
    $command = $PowerShellCommand
    $output = if ($PSBoundParameters.ContainsKey('InputText')) {
        $InputText | & $command[0] @($command | Select-Object -Skip 1) @arguments 2>&1
    }
    else {
        & $command[0] @($command | Select-Object -Skip 1) @arguments 2>&1
    }
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
}

function Get-ErrorIdOf {
    # The ErrorRecord a script block throws, for asserting its id, category and target together.
    # -ErrorAction Stop everywhere inside, so a non-terminating error is caught as well.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $ErrorActionPreference = 'Stop'
    try { & $ScriptBlock | Out-Null; $null } catch { $_ }
}

function Get-SecondUserPowerShell {
    # pwsh is installed as a .NET tool under root's home (0700), which another user cannot
    # enter: copy its folder once to FOLDER, readable by all, and return the command that runs it.
    param([Parameter(Mandatory)] [string] $Folder)
    $dll = $PowerShellCommand | Where-Object { $_ -like '*pwsh.dll' } | Select-Object -First 1
    if (-not $dll) { return $PowerShellCommand }
    $copy = Join-Path $Folder 'pwsh'
    if (-not (Test-Path (Join-Path $copy 'pwsh.dll'))) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        Copy-Item -Recurse (Split-Path $dll) $copy
        chmod -R a+rX $Folder
    }
    @($PowerShellCommand[0], (Join-Path $copy 'pwsh.dll'))
}

function Invoke-AsSecondUser {
    # Runs SCRIPT in a fresh pwsh -NonInteractive as 'nobody' (setpriv), with a home folder of its
    # own and ENVIRONMENT added. Root only. TMPDIR is removed, so the real temp folder is used.
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $shared = Join-Path $RepoRoot 'out/second-user'
    $command = Get-SecondUserPowerShell -Folder $shared
    $userHome = Join-Path $TestDrive "home-nobody-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $userHome | Out-Null
    chown nobody:nogroup $userHome
    $variables = @("HOME=$userHome", "DOTNET_CLI_HOME=$userHome", 'DOTNET_NOLOGO=1') + @($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $output = & setpriv --reuid=nobody --regid=nogroup --clear-groups env -u TMPDIR @variables @command -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
}
