#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Invoke-IcaRestMethod against a hostile server on loopback, a second local user and a careless
# caller: each It reproduces one attack of the REST hardening pass (issue 17, item N in its name).

BeforeDiscovery {
    $script:OnUnix = -not $IsWindows -and $PSVersionTable.PSEdition -ne 'Desktop'
    $script:OnUnixAsRoot = $OnUnix -and (id -u) -eq '0'
    $script:CanSwitchUser = $OnUnixAsRoot -and [bool](Get-Command setpriv -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive 'rest-hardening/profiles.yaml'
    Set-IcaConfig -Profile fake -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
    $env:ICAV2_PROFILE = 'fake'
    $script:Pair = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($Server.UserName):$($Server.Password)"))
    $script:BasicCredential = [pscredential]::new($Server.UserName, (ConvertTo-TestSecret $Server.Password))

    function Get-LastRequest { Invoke-RestMethod "$($Server.Url)/_fake/last" -NoProxy }

    function Assert-NoSecret {
        # Nothing of the key, the password, the Basic pair or a JWT of this server, in any case, and no escape character.
        param([string] $Text, [string] $Jwt)
        $Text | Should -Not -Match ([regex]::Escape($Server.ApiKey.Substring(13)))
        $Text | Should -Not -Match ([regex]::Escape($Server.Password.Substring(10)))
        $Text | Should -Not -Match ([regex]::Escape($Pair.Substring(8, 20)))
        $Text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10}'
        if ($Jwt) { $Text | Should -Not -Match ([regex]::Escape($Jwt.Split('.')[2].Substring(0, 16))) }
        $Text | Should -Not -Match "`e"
        $Text | Should -Not -Match "`a"
    }

    function Invoke-Bounded {
        # Runs SCRIPT in another runspace and stops it after 20 s: a loop that never ends fails the test instead of hanging the suite.
        param([string] $Script)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$ErrorActionPreference = 'Stop'; $Script | Out-Null")
            $run = $ps.BeginInvoke()
            if (-not $run.AsyncWaitHandle.WaitOne(20000)) {
                # Not waited for, not disposed: a call stuck in a system call would hold this test too.
                $null = $ps.BeginStop($null, $null)
                throw "still running after 20 s: $Script"
            }
            try { $ps.EndInvoke($run) | Out-Null; $null } catch { $_.Exception.InnerException.ErrorRecord }
            $ps.Dispose()
        }
        catch { throw }
    }

    function New-OutFolder {
        $folder = Join-Path $TestDrive "out-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $folder | Out-Null
        $folder
    }
}

AfterAll {
    Stop-FakeIca $Server
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_PROFILE', 'ICAPOWERSHELL_MAX_RESPONSE_MB' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Invoke-IcaRestMethod against a hostile server or a careless caller' {
    BeforeEach {
        Reset-FakeIca $Server
        Get-IcaToken -Force | Out-Null
        Reset-FakeIca $Server
    }

    Context 'requests: nothing smuggled, nothing outside the API' {
        It '1: refuses CR/LF in a -Headers value before sending, so a smuggled DELETE never arrives' {
            $smuggled = "x`r`n`r`nDELETE /ica/rest/api/projects/p00003 HTTP/1.1`r`nHost: 127.0.0.1`r`nX-Pad: y"
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get projects/p00001 -Headers @{ 'X-Note' = $smuggled } }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidHeader,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 'Headers'
            $failure.Exception.Message | Should -Match 'X-Note'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
            (Invoke-IcaRestMethod projects/p00003).id | Should -Be 'p00003'
        }

        It '1: refuses CR/LF or NUL in -ContentType, naming -ContentType' {
            foreach ($bad in "application/json`r`nX-Evil: 1", "application/json`0") {
                $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Post projects -Body '{"name":"x"}' -ContentType $bad }
                $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidHeader,*'
                $failure.TargetObject | Should -Be 'ContentType'
            }
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '12: refuses a header name <Label> with <Id>, never a raw .NET exception' -ForEach @(
            @{ Label = 'with CR/LF'; Name = "X-A`r`nX-B"; Id = 'IcaInvalidHeader' }
            @{ Label = 'with a colon'; Name = 'X-A:B'; Id = 'IcaInvalidHeader' }
            @{ Label = 'that is empty'; Name = ''; Id = 'IcaInvalidHeader' }
            @{ Label = 'with a space'; Name = 'X A'; Id = 'IcaInvalidHeader' }
            @{ Label = 'Content-Length'; Name = 'Content-Length'; Id = 'IcaHeaderNotAllowed' }
            @{ Label = 'Host'; Name = 'Host'; Id = 'IcaHeaderNotAllowed' }
            @{ Label = 'Authorization'; Name = 'Authorization'; Id = 'IcaHeaderNotAllowed' }
        ) {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get projects -Headers @{ $Name = '5' } }
            $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $failure.TargetObject | Should -Be 'Headers'
            $failure.Exception.Message | Should -Not -Match "`r|`n"
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '9: refuses <Path> before sending, and names the path as given' -ForEach @(
            @{ Path = 'projects/../../../../admin/x' }
            @{ Path = 'projects/%2E%2E/%2e%2e/admin/x' }
            @{ Path = 'projects/./p00001' }
        ) {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Delete $Path }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidPath,*'
            $failure.TargetObject | Should -Be 'Path'
            $failure.Exception.Message | Should -Match ([regex]::Escape($Path))
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }
    }

    Context 'what the module writes: errors, verbose' {
        It '2: cuts the token from a status line an API server sends back, and escapes its control characters, in -Verbose' {
            $jwt = Get-IcaToken -AsPlainText
            Add-FakeIcaFault $Server EchoInReason
            $text = & { try { Invoke-IcaRestMethod projects/p00001 -Verbose -ErrorAction Stop 4>&1 } catch { $_ } } | Out-String
            $text | Should -Match '403'
            Assert-NoSecret $text $jwt
        }

        It '2: cuts the API key and the Basic pair from a status line the token endpoint sends back, in -Verbose' {
            Add-FakeIcaFault $Server EchoInReason
            $text = & { try { Get-IcaToken -Force -Verbose -ErrorAction Stop 4>&1 } catch { $_ } } | Out-String
            $text | Should -Match '403'
            Assert-NoSecret $text
            Add-FakeIcaFault $Server EchoInReason
            $text = & { try { Get-IcaToken -Credential $BasicCredential -ServerUrl $Server.Url -Verbose -ErrorAction Stop 4>&1 } catch { $_ } } | Out-String
            $text | Should -Match '403'
            Assert-NoSecret $text
        }

        It '6: cuts the API key a server echoes in an API error, from the message, $Error and Get-Error' {
            $jwt = Get-IcaToken -AsPlainText
            Add-FakeIcaFault $Server EchoSecrets
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects/p00001 }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaServerError,*'
            Assert-NoSecret ($failure | Out-String) $jwt
            Assert-NoSecret $failure.Exception.Message $jwt
            Assert-NoSecret ($failure.ErrorDetails | Out-String) $jwt
            Assert-NoSecret (Get-Error -InputObject $failure | Out-String) $jwt
        }

        It '6: cuts the password and the Basic pair a server echoes in an API error' {
            Invoke-IcaRestMethod projects/p00001 -Credential $BasicCredential -ServerUrl $Server.Url | Out-Null
            Add-FakeIcaFault $Server EchoSecrets
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects/p00001 -Credential $BasicCredential -ServerUrl $Server.Url }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaServerError,*'
            Assert-NoSecret ($failure | Out-String)
            Assert-NoSecret (Get-Error -InputObject $failure | Out-String)
        }

        It '5: never sends back a cookie a server planted, to the API or the token endpoint' {
            Invoke-FakeIca $Server settings @{ setCookie = $true } | Out-Null
            Invoke-IcaRestMethod projects/p00001 | Out-Null
            Invoke-IcaRestMethod projects/p00002 | Out-Null
            Get-IcaToken -Force | Out-Null
            Get-IcaToken -Credential $BasicCredential -ServerUrl $Server.Url | Out-Null
            (Get-LastRequest).cookie | Should -BeNullOrEmpty
            (Get-FakeIcaStats $Server).CookieRequests | Should -Be 0
        }
    }

    Context 'answers that are not what -All expects' {
        It '8: -All ends with an error when the server repeats its cursor' {
            $failure = Invoke-Bounded 'Invoke-IcaRestMethod hostile/repeat-cursor -All'
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaPagingLoop,*'
            $failure.CategoryInfo.Category | Should -Be 'ProtocolError'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 2
        }

        It '8: -All ends with an error on an empty page that still has a cursor' {
            $failure = Invoke-Bounded 'Invoke-IcaRestMethod hostile/empty-cursor -All'
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaPagingLoop,*'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
        }

        It '12: -All on an answer that is <Path> writes <Count> items, with no .NET exception' -ForEach @(
            @{ Path = 'hostile/array'; Count = 2 }
            @{ Path = 'hostile/empty-array'; Count = 0 }
            @{ Path = 'hostile/null'; Count = 0 }
        ) {
            $out = @(Invoke-IcaRestMethod $Path -All -ErrorAction Stop)
            $out.Count | Should -Be $Count
        }

        It 'writes a top-level array''s elements as they are, the rule on both editions (issue 14 point 7)' {
            (Invoke-IcaRestMethod hostile/array) | Should -Be @(1, 2)
            $nested = @(Invoke-IcaRestMethod hostile/nested-array)
            $nested.Count | Should -Be 2
            $nested[0] | Should -Be @(1, 2)
            @(Invoke-IcaRestMethod hostile/empty-array).Count | Should -Be 0
            (Invoke-IcaRestMethod hostile/array -First 1) | Should -Be 1
        }

        It '11: refuses an answer over the size cap after one request, naming the size and the variable' {
            $env:ICAPOWERSHELL_MAX_RESPONSE_MB = '1'
            try {
                $failure = Get-ErrorIdOf { Invoke-IcaRestMethod hostile/big -Query @{ bytes = 3MB } }
            }
            finally { $env:ICAPOWERSHELL_MAX_RESPONSE_MB = $null }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaResponseTooLarge,*'
            $failure.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $failure.Exception.Message | Should -Match '1 MB'
            $failure.Exception.Message | Should -Match 'ICAPOWERSHELL_MAX_RESPONSE_MB'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
            (Invoke-IcaRestMethod hostile/big -Query @{ bytes = 3MB }).Length | Should -Be (3MB - 2)
        }
    }

    Context '-OutFile' {
        It '13: a missing folder is an -OutFile error, before anything is sent' {
            Push-Location $TestDrive
            try { $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile ./nosuchdir/x } }
            finally { Pop-Location }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaOutFileInvalid,*'
            $failure.TargetObject | Should -Be 'OutFile'
            $failure.Exception.Message | Should -Match '-OutFile'
            $failure.Exception.Message | Should -Not -Match 'profile'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '13: a folder as -OutFile is an -OutFile error' {
            $folder = New-OutFolder
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $folder }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaOutFileInvalid,*'
            $failure.TargetObject | Should -Be 'OutFile'
            (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
        }

        It '10: a download that stalls after its headers ends at -TimeoutSec, the target as it was, no temp file' {
            $folder = New-OutFolder
            $file = Join-Path $folder 'stalled.bin'
            Set-Content $file 'before' -NoNewline
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod hostile/stall -OutFile $file -TimeoutSec 2 }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaTimeout,*'
            $failure.Exception.Message | Should -Match '-OutFile'
            Get-Content -Raw $file | Should -Be 'before'
            (Get-ChildItem -Force $folder).Name | Should -Be 'stalled.bin'
        }
    }
}

Describe 'Invoke-IcaRestMethod as a reviewer used it (issue 16, the pipeline)' {
    BeforeEach {
        Reset-FakeIca $Server
        Get-IcaToken -Force | Out-Null
        Reset-FakeIca $Server
    }

    It '-Debug never asks, even in a -NonInteractive process: the POST is written, its bodies and lines shown as debug' {
        # PowerShell asks before every verbose line and warning of a compiled cmdlet under -Debug,
        # which failed here after the project was created.
        $result = Invoke-FreshPowerShell -Script @"
Import-Module '$ModuleManifest'
`$created = Invoke-IcaRestMethod Post projects -Body @{ name = 'debug-post' } -Debug 5>&1 4>&1 | ForEach-Object { if (`$_ -is [Management.Automation.DebugRecord]) { 'DEBUG ' + `$_.Message } else { `$_ } }
`$created | Where-Object { `$_ -is [string] } | Select-Object -First 3
'CREATED ' + (`$created | Where-Object { `$_ -isnot [string] }).name
"@
        $result.Output | Should -Not -Match 'NonInteractive'
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'CREATED debug-post'
        $result.Output | Should -Match 'DEBUG Request body'
        (Invoke-IcaRestMethod projects -All | Where-Object name -EQ 'debug-post').Count | Should -Be 1
    }

    It '-SkipHttpErrorCheck writes an error answer cut as ErrorDetails is, and -Debug cuts the token even re-encoded' {
        $jwt = Get-IcaToken -AsPlainText
        $encodedJwt = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($jwt))
        Add-FakeIcaFault $Server EchoSecrets
        $answer = Invoke-IcaRestMethod projects/p00001 -SkipHttpErrorCheck
        $answer | Should -Not -BeNullOrEmpty
        Assert-NoSecret ($answer | Out-String) $jwt
        Assert-NoSecret ($answer | ConvertTo-Json -Depth 5) $jwt

        Add-FakeIcaFault $Server EchoTokenBase64
        $DebugPreference = 'Continue'
        $all = Invoke-IcaRestMethod projects/p00001 -SkipHttpErrorCheck 5>&1 | Out-String
        $DebugPreference = 'SilentlyContinue'
        $all | Should -Match 'upstream saw'
        $all | Should -Not -Match ([regex]::Escape($encodedJwt.Substring(20, 24)))
    }

    It '-Confirm where nobody can answer fails with IcaConfirmationRequired, and nothing is deleted' {
        $result = Invoke-FreshPowerShell -Script @"
Import-Module '$ModuleManifest'
try { Invoke-IcaRestMethod Delete projects/p00003 -Confirm -ErrorAction Stop } catch { 'ID ' + `$_.FullyQualifiedErrorId }
"@
        $result.Output | Should -Match 'ID IcaConfirmationRequired,'
        $result.Output | Should -Not -Match 'Object reference'
        (Invoke-IcaRestMethod projects/p00003).id | Should -Be 'p00003'
    }

    It 'an answer that is not JSON is IcaInvalidResponse naming the request, not ConvertFrom-Json''s error' {
        Add-FakeIcaFault $Server TruncatedJson
        $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects/p00001 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidResponse,*'
        $failure.CategoryInfo.Category | Should -Be 'ProtocolError'
        $failure.Exception.Message | Should -Match 'GET /api/projects/p00001'
    }

    It 'a page that fails during -All says how far it got; -All -First 0 sends nothing' {
        Add-FakeIcaFault $Server None, ServiceUnavailable, ServiceUnavailable, ServiceUnavailable
        $items = [Collections.Generic.List[object]]::new()
        $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects -All -PageSize 10 | ForEach-Object { $items.Add($_) } }
        $items.Count | Should -Be 10
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaServerError,*'
        $failure.Exception.Message | Should -Match '^-All stopped after 10 records were written\.'

        Reset-FakeIca $Server
        @(Invoke-IcaRestMethod projects -All -First 0).Count | Should -Be 0
        (Get-FakeIcaStats $Server).PageRequests | Should -Be 0
    }

    It '-OutFile refuses a file its user may not write (0444), as Set-Content does, and leaves it as it was' -Skip:(-not ($OnUnix -and (id -u) -eq '0' -and (Get-Command setpriv -ErrorAction SilentlyContinue))) {
        $result = Invoke-AsSecondUser -Environment @{ PESTER_FAKE_KEY = $Server.ApiKey } -Script @"
Import-Module '$ModuleManifest'
`$file = Join-Path ([IO.Path]::GetTempPath()) "ica-readonly-`$([guid]::NewGuid().ToString('N')).bin"
Set-Content `$file 'mine' -NoNewline
chmod 444 `$file
`$key = ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force
try { Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile `$file -ApiKey `$key -ServerUrl '$($Server.Url)' -ErrorAction Stop; 'REPLACED' } catch { 'ID ' + `$_.FullyQualifiedErrorId }
'CONTENT ' + (Get-Content -Raw `$file)
Remove-Item -Force `$file
"@
        $result.Output | Should -Match 'ID IcaOutFileInvalid,'
        $result.Output | Should -Match 'CONTENT mine'
        $result.Output | Should -Not -Match 'REPLACED'
    }

    It 'refuses what it would find only after a token: -PageSize beside -Query pageSize, a header that is not ASCII, an unreadable size limit' {
        (Get-ErrorIdOf { Invoke-IcaRestMethod projects -PageSize 5 -Query @{ PageSize = 7 } }).FullyQualifiedErrorId | Should -BeLike 'IcaParameterConflict,*'
        $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects -Headers @{ 'X-Note' = 'café' } }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidHeader,*'
        $failure.TargetObject | Should -Be 'Headers'
        $env:ICAPOWERSHELL_MAX_RESPONSE_MB = 'lots'
        try {
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod projects }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidSetting,*'
            $failure.TargetObject | Should -Be 'ICAPOWERSHELL_MAX_RESPONSE_MB'
        }
        finally { Remove-Item Env:ICAPOWERSHELL_MAX_RESPONSE_MB }
        (Get-FakeIcaStats $Server).ApiRequests | Should -Be 0
    }
}

Describe 'Invoke-IcaRestMethod -OutFile on Unix' -Skip:(-not $OnUnix) {
    BeforeEach { Reset-FakeIca $Server }

    It '4: keeps the mode of a 0600 file it replaces; a new file gets the umask''s mode' {
        $folder = New-OutFolder
        $file = Join-Path $folder 'private.bin'
        Set-Content $file 'secret genome' -NoNewline
        chmod 600 $file
        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $file
        (Get-Item $file).Length | Should -Be 1MB
        (Get-Item $file).UnixMode | Should -Be '-rw-------'
        $new = Join-Path $folder 'new.bin'
        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $new
        $umask = [Convert]::ToInt32((sh -c umask).Trim(), 8)
        [int](Get-Item $new).UnixFileMode | Should -Be (0x1B6 -band -bnot $umask)
    }

    It '4: a second user cannot read the replaced 0600 file' -Skip:(-not $CanSwitchUser) {
        $folder = New-OutFolder
        chmod 755 $folder
        $file = Join-Path $folder 'private.bin'
        Set-Content $file 'secret genome' -NoNewline
        chmod 600 $file
        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $file
        setpriv --reuid=nobody --regid=nogroup --clear-groups cat $file 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It '3: writes into a FIFO, as Invoke-WebRequest does, and leaves it a FIFO' {
        $folder = New-OutFolder
        $fifo = Join-Path $folder 'pipe'
        mkfifo $fifo
        $copy = Join-Path $folder 'copy.bin'
        # sh copies the bytes as they are (Start-Process would decode and re-encode them as text).
        $reader = Start-Process -FilePath sh -ArgumentList "-c `"cat '$fifo' > '$copy'`"" -PassThru
        try {
            # Bounded: a writer that opens a FIFO waits for its reader.
            Invoke-Bounded "Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile '$fifo'" | Should -BeNullOrEmpty
            $reader.WaitForExit(10000) | Should -BeTrue
            (Get-Item $copy).Length | Should -Be 1MB
            stat -c %F $fifo | Should -Be 'fifo'
        }
        finally { if (-not $reader.HasExited) { $reader.Kill() } }
    }

    It '3: writes into a device node, and leaves it a device' -Skip:(-not $OnUnixAsRoot) {
        # A node of our own for /dev/null's device (1,3): the real /dev/null is never put at risk.
        $folder = New-OutFolder
        $node = Join-Path $folder 'null'
        mknod $node c 1 3
        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile $node
        stat -c %F $node | Should -Be 'character special file'
        (Get-ChildItem -Force $folder).Name | Should -Be 'null'
    }

    It '10: SIGTERM mid-download leaves no temp file; a temp that SIGKILL left is removed by the next download there' {
        $folder = New-OutFolder
        $script = "Import-Module '$ModuleManifest'; Invoke-IcaRestMethod hostile/stall -OutFile '$folder/big.bin'"
        foreach ($signal in 'TERM', 'KILL') {
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
            $process = Start-Process -FilePath $PowerShellCommand[0] -ArgumentList (@($PowerShellCommand | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) -PassThru
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (Get-ChildItem -Force $folder) -and [DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) { Start-Sleep -Milliseconds 100 }
                @(Get-ChildItem -Force $folder).Count | Should -Be 1 -Because 'the download has started its temp file'
                kill "-$signal" $process.Id
                $process.WaitForExit(20000) | Should -BeTrue
            }
            finally { if (-not $process.HasExited) { $process.Kill() } }
            if ($signal -eq 'TERM') { Get-ChildItem -Force $folder | Should -BeNullOrEmpty }
        }
        @(Get-ChildItem -Force $folder).Count | Should -Be 1 -Because 'SIGKILL leaves the temp file'
        # Short whatever the target's name (issue 14 point 10: MAX_PATH in powershell.exe), and it names its writer.
        (Get-ChildItem -Force $folder).Name | Should -Match '^\.ica[0-9a-f]+-[0-9a-f]{6}\.part$'
        Invoke-IcaRestMethod Get pipelines/pl1/files/f1/content -OutFile (Join-Path $folder 'next.bin')
        (Get-ChildItem -Force $folder).Name | Should -Be 'next.bin'
    }
}
