#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What another local user, a hostile server or a careless paste could do, tried against the module.

BeforeDiscovery {
    $script:OnUnixAsRoot = -not $IsWindows -and $PSVersionTable.PSEdition -ne 'Desktop' -and (id -u) -eq '0'
    $script:CanSwitchUser = $OnUnixAsRoot -and [bool](Get-Command setpriv -ErrorAction Ignore)
    $script:CanTrace = $IsLinux -and [bool](Get-Command strace -ErrorAction Ignore)
    if (-not $CanTrace) { Write-Warning 'strace is not installed: the system-call test of file creation is skipped (.ci/run installs it).' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $script:Proxy = Start-FakeIca   # a second server, standing in for a proxy
    $script:Key = 'pester-key-' + [guid]::NewGuid().ToString('N')
    $script:Secret = ConvertTo-TestSecret $Key
    $script:ServerSecret = ConvertTo-TestSecret $Server.ApiKey

    function New-ProfileFolder {
        # A folder of ours, as a user or another tool may have made it (mode given).
        # -ModuleFolder: named .icav2, as the module's own folder is (the only kind it tightens).
        param([string] $Mode = '700', [switch] $ModuleFolder)
        $folder = Join-Path $TestDrive "h-$([guid]::NewGuid().ToString('N'))"
        if ($ModuleFolder) { $folder = Join-Path $folder '.icav2' }
        New-Item -ItemType Directory $folder | Out-Null
        chmod $Mode $folder
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $folder 'profiles.yaml'
        $folder
    }
}

AfterAll {
    Stop-FakeIca $Server
    Stop-FakeIca $Proxy
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'ICAV2_PROFILE', 'HTTP_PROXY', 'HTTPS_PROXY' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Files another user could read, plant or block' -Skip:(-not $OnUnixAsRoot) {
    BeforeEach {
        $env:ICAV2_X_API_KEY = $null
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null
    }

    It 'creates the folder 0700 and every file 0600' {
        $folder = Join-Path $TestDrive "new-$([guid]::NewGuid().ToString('N'))/.icav2"
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $folder 'profiles.yaml'
        Set-IcaConfig -Profile dev -ApiKey $Secret
        (Get-Item -Force $folder).UnixMode | Should -Be 'drwx------'
        Get-ChildItem -Force $folder | ForEach-Object { $_.UnixMode | Should -Be '-rw-------' -Because $_.Name }
    }

    It 'refuses a key file that another user planted, and says which file and what to do' {
        $folder = New-ProfileFolder 700
        $keyFile = Join-Path $folder 'profiles.key'
        Set-Content $keyFile ([Convert]::ToBase64String([byte[]](1..32)))
        chmod 600 $keyFile
        chown nobody $keyFile
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
        $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        $failure.TargetObject | Should -Be $keyFile
        $failure.Exception.Message | Should -Match 'another user'
        $failure.Exception.Message | Should -Match ([regex]::Escape("rm '$keyFile'"))
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'tightens a .icav2 folder of ours that others can write, with a warning, then refuses what they planted' {
        $folder = New-ProfileFolder 777 -ModuleFolder
        $lock = "$env:ICAPOWERSHELL_CONFIG_PATH.lock"
        New-Item $lock | Out-Null
        chown nobody $lock
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret -WarningVariable warned -WarningAction SilentlyContinue }
        (Get-Item -Force $folder).UnixMode | Should -Be 'drwxr-xr-x'
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
        $failure.TargetObject | Should -Be $lock
    }

    It 'warns when it tightens a .icav2 folder of ours' {
        $folder = New-ProfileFolder 777 -ModuleFolder
        Set-IcaConfig -Profile dev -ApiKey $Secret -WarningVariable warned -WarningAction SilentlyContinue
        ($warned | Out-String) | Should -Match ([regex]::Escape($folder))
        ($warned | Out-String) | Should -Match '755'
    }

    It 'refuses, and never changes, a folder others can write that .icav2 only links to (verifier''s finding J)' {
        $shared = New-ProfileFolder 777
        $link = Join-Path (Split-Path $shared) "home-$([guid]::NewGuid().ToString('N'))/.icav2"
        New-Item -ItemType Directory (Split-Path $link) | Out-Null
        New-Item -ItemType SymbolicLink -Path $link -Target $shared | Out-Null
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $link 'profiles.yaml'
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
        (Get-Item -Force $shared).UnixMode | Should -Be 'drwxrwxrwx'
        Get-ChildItem -Force $shared | Should -BeNullOrEmpty
    }

    It 'refuses a folder that belongs to another user and others can write' {
        $folder = New-ProfileFolder 777
        chown nobody $folder
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
        $failure.Exception.Message | Should -Match 'chmod 700'
        Get-ChildItem -Force $folder | Should -BeNullOrEmpty
    }

    It 'tightens a key file of ours that others could read, and says the secrets may be exposed' {
        New-ProfileFolder 700 | Out-Null
        Set-IcaConfig -Profile dev -ApiKey $Secret
        $keyFile = Join-Path (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) 'profiles.key'
        chmod 644 $keyFile
        Set-IcaConfig -Profile dev -ColorMode dark -WarningVariable warned -WarningAction SilentlyContinue
        (Get-Item $keyFile).UnixMode | Should -Be '-rw-------'
        ($warned | Out-String) | Should -Match 'exposed'
    }

    It 'never follows a lock file link, and never creates its target' {
        New-ProfileFolder 700 | Out-Null
        $target = Join-Path $TestDrive "target-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType SymbolicLink -Path "$env:ICAPOWERSHELL_CONFIG_PATH.lock" -Target $target | Out-Null
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
        $failure.Exception.Message | Should -Match 'symbolic link'
        Test-Path $target | Should -BeFalse
    }

    It 'refuses a key file that is <What>, at once' -ForEach @(
        @{ What = 'a folder'; Make = { param($p) New-Item -ItemType Directory $p | Out-Null } }
        @{ What = 'a FIFO'; Make = { param($p) mkfifo $p } }
        @{ What = 'a link to /dev/zero'; Make = { param($p) New-Item -ItemType SymbolicLink -Path $p -Target /dev/zero | Out-Null } }
    ) {
        New-ProfileFolder 700 | Out-Null
        & $Make (Join-Path (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) 'profiles.key')
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaKeyFileInvalid,*'
        $failure.Exception.Message | Should -Match 'not a regular file'
    }

    It 'refuses a key file larger than a key file can be' {
        New-ProfileFolder 700 | Out-Null
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null
        Set-IcaConfig -Profile dev -ServerUrl $Server.Url -ApiKey $Secret
        $keyFile = Join-Path (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) 'profiles.key'
        [IO.File]::WriteAllText($keyFile, ('A' * 4096))
        (Get-ErrorIdOf { Get-IcaToken -Profile dev -Force }).FullyQualifiedErrorId | Should -BeLike 'IcaKeyFileInvalid,*'
    }
}

Describe 'How the files are created, seen in the system calls' -Skip:(-not $CanTrace) {
    It 'opens every new file with mode 0600, O_EXCL or O_NOFOLLOW, and never chmods one afterwards' {
        $folder = Join-Path $TestDrive "trace-$([guid]::NewGuid().ToString('N'))"
        $trace = Join-Path $TestDrive "trace-$([guid]::NewGuid().ToString('N')).txt"
        $script = "`$env:ICAPOWERSHELL_CONFIG_PATH = '$folder/profiles.yaml'; Import-Module '$ModuleManifest'; Set-IcaConfig -Profile dev -ApiKey (ConvertTo-SecureString 'pester-key-traced-0123' -AsPlainText -Force); Set-IcaConfig -Profile dev -ColorMode dark"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        strace -f -qq -e trace=open,openat,creat,chmod,fchmod,fchmodat,mkdir,mkdirat -o $trace @PowerShellCommand -NoProfile -NonInteractive -EncodedCommand $encoded
        $LASTEXITCODE | Should -Be 0
        $ours = @(Get-Content $trace | Where-Object { $_ -match [regex]::Escape($folder) })
        $writer = ($ours | Select-Object -First 1) -replace '^(\d+).*', '$1'
        $creates = @($ours | Where-Object { $_ -match 'O_CREAT' })
        $creates.Count | Should -BeGreaterOrEqual 4 -Because 'the lock, the key file and two profile writes create files'
        foreach ($line in $creates) {
            $line | Should -Match 'O_NOFOLLOW'
            $line | Should -Match ', 0600\)'
            if ($line -match '\.tmp"') { $line | Should -Match 'O_EXCL' }
        }
        $ours | Where-Object { $_ -match 'mkdir' } | Should -Match ', 0700\)'
        Get-Content $trace | Where-Object { $_ -match "^$writer\s+(f?chmod|fchmodat)" } | Should -BeNullOrEmpty
    }
}

Describe 'A second user, watching the folder while profiles are written' -Skip:(-not $CanSwitchUser) {
    It 'never reads a byte of a temp file, the key file or the profile file' {
        # The folder is 0755, as another tool may leave it: others may list it, never read our files.
        $folder = New-ProfileFolder 755
        $spy = Join-Path $TestDrive "spy-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $spy | Out-Null
        chmod 777 $spy
        $watch = @"
end=`$((SECONDS + 60))
while [ ! -e '$spy/stop' ] && [ `$SECONDS -lt `$end ]; do
  ls -a '$folder' >> '$spy/listed' 2>/dev/null
  for f in '$folder'/.* '$folder'/*; do cat "`$f" 2>/dev/null; done
done > '$spy/read'
"@
        Set-Content "$spy/watch.sh" $watch
        $watcher = Start-Process setpriv -ArgumentList '--reuid=nobody', '--regid=nogroup', '--clear-groups', 'bash', "$spy/watch.sh" -PassThru
        try {
            # Until the watcher has listed a temp file (it lives for a moment; a loaded machine may
            # need more writes to catch one), at most 400 writes.
            for ($i = 1; $i -le 400; $i++) {
                Set-IcaConfig -Profile "p$($i % 40)" -ApiKey $Secret
                if ($i % 20 -eq 0 -and (Get-Content -Raw "$spy/listed" -ErrorAction SilentlyContinue) -match '\.tmp') { break }
            }
        }
        finally {
            New-Item "$spy/stop" | Out-Null
            $watcher.WaitForExit(30000) | Should -BeTrue
        }
        # The watcher ran and saw the files come and go (so it had its chances)...
        Get-Content -Raw "$spy/listed" | Should -Match 'profiles\.key'
        Get-Content -Raw "$spy/listed" | Should -Match '\.tmp'
        # ...and read nothing of them.
        $keyText = (Get-Content -Raw (Join-Path $folder 'profiles.key')).Trim()
        $read = Get-Content -Raw "$spy/read"
        "$read" | Should -Not -Match 'x-api-key'
        "$read" | Should -Not -Match ([regex]::Escape($keyText))
    }
}

Describe 'Secrets that a proxy, a server or a message could echo' {
    BeforeEach {
        Reset-FakeIca $Server
        Reset-FakeIca $Proxy
        New-Item -ItemType Directory -Force (Join-Path $TestDrive 'echo') | Out-Null
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive 'echo/profiles.yaml'
        'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'HTTP_PROXY', 'HTTPS_PROXY', 'ICAV2_PROFILE' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
    }

    It 'uses the credentials in a -Proxy URL and never shows its password' {
        $password = 'proxy-pass-' + [guid]::NewGuid().ToString('N')
        Invoke-FakeIca $Proxy settings @{ proxyUser = 'pxuser'; proxyPassword = $password } | Out-Null
        $proxyUrl = "http://pxuser:$password@127.0.0.1:$(([uri]$Proxy.Url).Port)"
        $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey $Secret -ServerUrl ica.example.invalid -Proxy $proxyUrl }
        (Get-FakeIcaStats $Proxy).ProxyAuthorized | Should -BeGreaterThan 0
        $failure.Exception.Message | Should -Not -Match $password
        ($failure | Out-String) | Should -Not -Match $password
    }

    It 'never shows the password of an HTTPS_PROXY that answers 407' {
        $password = 'proxy-pass-' + [guid]::NewGuid().ToString('N')
        Invoke-FakeIca $Proxy settings @{ proxyUser = 'pxuser'; proxyPassword = 'another-one-entirely' } | Out-Null
        $env:HTTPS_PROXY = "http://pxuser:$password@127.0.0.1:$(([uri]$Proxy.Url).Port)"
        $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
        try {
            $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey $Secret -ServerUrl ica.example.invalid }
        }
        finally { $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = $null }
        $failure.Exception.Message | Should -Match '407'
        $failure.Exception.Message | Should -Not -Match $password
    }

    It 'cuts base64(user:password) from a server that echoes the Authorization header' {
        Add-FakeIcaFault $Server EchoAuthorization
        $credential = [pscredential]::new($Server.UserName, (ConvertTo-TestSecret $Server.Password))
        $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
        try {
            $failure = Get-ErrorIdOf { Get-IcaToken -Credential $credential -ServerUrl $Server.Url }
        }
        finally { $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = $null }
        $pair = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($Server.UserName):$($Server.Password)"))
        $failure.Exception.Message | Should -Match 'upstream rejected'
        $failure.Exception.Message | Should -Not -Match ([regex]::Escape($pair.Substring(0, 12)))
        $failure.Exception.Message | Should -Not -Match $Server.Password
    }

    It 'never sends plain http to loopback through HTTP_PROXY' {
        $env:HTTP_PROXY = $Proxy.Url
        (Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url -Force).Source | Should -Be 'Minted'
        (Get-FakeIcaStats $Proxy).ProxiedRequests | Should -Be 0
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'escapes control characters in claims before they reach the console' {
        $esc = [char]27
        Invoke-FakeIca $Server settings @{ tenant = "evil$esc]0;pwned$([char]7)$esc[2J" } | Out-Null
        $token = Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url -Force
        $token.Tenant | Should -Not -Match $esc
        $token.Tenant | Should -BeLike 'evil\u001b]0;pwned\u0007\u001b`[2J'
    }

    It 'refuses an API key with a line break at Set-IcaConfig, naming -ApiKey' {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey (ConvertTo-TestSecret "abc`ndef-0123456789") }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidApiKey,*'
        $failure.TargetObject | Should -Be 'ApiKey'
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'refuses an ICAV2_X_API_KEY with a control character plainly, without a raw FormatException' {
        $env:ICAV2_X_API_KEY = "abc`u{7}def-0123456789"
        $failure = Get-ErrorIdOf { Get-IcaToken -ServerUrl $Server.Url }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidApiKey,*'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
    }

    It 'refuses a token that arrives already expired, instead of minting again on every call' {
        Invoke-FakeIca $Server settings @{ tokenLifetimeSeconds = -60 } | Out-Null
        $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url -Force }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaTokenExpiredOnArrival,*'
        $failure.Exception.Message | Should -Match 'clock'
    }

    It 'validates ICAV2_PROFILE and keeps the error short' {
        $env:ICAV2_PROFILE = 'x' * 10000
        $failure = Get-ErrorIdOf { Get-IcaConfig }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        $failure.TargetObject | Should -Be 'ICAV2_PROFILE'
        $failure.Exception.Message.Length | Should -BeLessThan 400
        $failure.Exception.Message | Should -Match ([regex]::Escape('$env:ICAV2_PROFILE'))
    }

    It 'names $env:ICAV2_SERVER_URL as a variable, not as a parameter' {
        $env:ICAV2_X_API_KEY = $Key
        $env:ICAV2_SERVER_URL = 'http://ica.example.org'
        $failure = Get-ErrorIdOf { Get-IcaToken }
        $failure.Exception.Message | Should -Match ([regex]::Escape('$env:ICAV2_SERVER_URL'))
        $failure.Exception.Message | Should -Not -Match '-ICAV2_SERVER_URL'
    }

    It 'masks the password of a server URL typed with user information' {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ServerUrl 'https://me:hunter2-secret@ica.example.org' -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidServerUrl,*'
        $failure.Exception.Message | Should -Not -Match 'hunter2'
    }
}
