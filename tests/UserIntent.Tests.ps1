#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a new user does in their first hour (issue 15), each as they would do it: shared temp
# folders, piped profiles, -Profile beside environment variables, pipelines that cannot answer a
# prompt, time zones, Ctrl+C and typos at the prompt, and the messages that should point at the fix.

BeforeDiscovery {
    $script:OnUnixAsRoot = -not $IsWindows -and $PSVersionTable.PSEdition -ne 'Desktop' -and (id -u) -eq '0'
    $script:CanSwitchUser = $OnUnixAsRoot -and [bool](Get-Command setpriv -ErrorAction Ignore)
    $script:HasPty = -not $IsWindows -and [bool](Get-Command python3 -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $script:Other = Start-FakeIca   # a second server: "stage" beside "prod"
    $script:ServerSecret = ConvertTo-TestSecret $Server.ApiKey
    $script:OtherSecret = ConvertTo-TestSecret $Other.ApiKey
    $script:Variables = 'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'ICAV2_ACCESS_TOKEN', 'ICAV2_PROFILE'

    function New-TestJwt {
        param([long] $Exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds())
        $encode = { param($json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        "$(& $encode '{"alg":"none"}').$(& $encode (ConvertTo-Json -Compress @{ exp = $Exp; tns = 'env-tenant' })).sig"
    }

    function Invoke-InTerminal {
        # SCRIPT in a fresh pwsh in a pty; each step types its answer when its text shows.
        param([string] $Script, [object[]] $Steps)
        $spec = @{
            command = @($PowerShellCommand) + @('-NoProfile', '-Command', $Script)
            env     = @{ CI = $null; TF_BUILD = $null; GITHUB_ACTIONS = $null; AUTOMATION_ASSET_ACCOUNTID = $null; TERM = 'xterm' }
            steps   = $Steps
            timeout = 30
        } | ConvertTo-Json -Depth 5
        $screen = $spec | python3 (Join-Path $PSScriptRoot 'Support/pty_session.py')
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Screen = (($screen -join "`n") -replace '\x1b\[[0-9;?]*[A-Za-z=]', '') }
    }
}

AfterAll {
    Stop-FakeIca $Server
    Stop-FakeIca $Other
    $Variables | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'A new user''s first hour' {
    BeforeEach {
        Reset-FakeIca $Server
        Reset-FakeIca $Other
        $Variables | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
        $script:Folder = Join-Path $TestDrive "u-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $Folder | Out-Null
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $Folder 'default.yaml'
    }

    Describe '1. A profile in a shared temp folder (sticky, like /tmp)' -Skip:(-not $OnUnixAsRoot) {
        BeforeEach {
            $script:Shared = Join-Path $Folder 'shared-tmp'
            New-Item -ItemType Directory $Shared | Out-Null
            chmod 1777 $Shared
        }

        It 'keeps a profile in a sticky 1777 folder as root without changing the folder''s mode' {
            Set-IcaConfig -Path "$Shared/ica.yaml" -Profile runbook -ServerUrl $Server.Url -ApiKey $ServerSecret -WarningVariable warned
            (Get-IcaToken -Path "$Shared/ica.yaml" -Profile runbook).Source | Should -Be 'Minted'
            Reset-IcaConfig -Path "$Shared/ica.yaml" -All -Force
            (Get-Item $Shared).UnixMode | Should -Be 'drwxrwxrwt'
            $warned | Should -BeNullOrEmpty
        }

        It 'creates its files 0600 in the sticky folder, and refuses a key file another user put there first' {
            Set-IcaConfig -Path "$Shared/mine.yaml" -Profile a -ServerUrl $Server.Url -ApiKey $ServerSecret
            Get-ChildItem -Force $Shared | ForEach-Object { $_.UnixMode | Should -Be '-rw-------' -Because $_.Name }
            Set-Content "$Shared/planted.key" ([Convert]::ToBase64String([byte[]](1..32)))
            chmod 600 "$Shared/planted.key"
            chown nobody "$Shared/planted.key"
            $failure = Get-ErrorIdOf { Set-IcaConfig -Path "$Shared/planted.yaml" -Profile a -ServerUrl $Server.Url -ApiKey $ServerSecret }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
            $failure.TargetObject | Should -Be "$Shared/planted.key"
            (Get-Item $Shared).UnixMode | Should -Be 'drwxrwxrwt'
        }

        It 'refuses a file of ours there that others can write, instead of trusting what it holds' {
            Set-IcaConfig -Path "$Shared/open.yaml" -Profile a -ServerUrl $Server.Url -ApiKey $ServerSecret
            chmod 666 "$Shared/open.yaml"
            $failure = Get-ErrorIdOf { Get-IcaToken -Path "$Shared/open.yaml" -Profile a -Force }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
            (Get-Item "$Shared/open.yaml").UnixMode | Should -Be '-rw-rw-rw-'
        }

        It 'keeps a profile in the same sticky folder as another user (nobody), and the folder keeps its mode' -Skip:(-not $CanSwitchUser) {
            $result = Invoke-AsSecondUser -Environment @{ PESTER_FAKE_KEY = $Server.ApiKey } -Script @"
    Import-Module '$ModuleManifest'
    Set-IcaConfig -Path '$Shared/nobody.yaml' -Profile mine -ServerUrl '$($Server.Url)' -ApiKey (ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force)
    'source=' + (Get-IcaToken -Path '$Shared/nobody.yaml' -Profile mine).Source
"@
            $result.Output | Should -Match 'source=Minted'
            (Get-Item $Shared).UnixMode | Should -Be 'drwxrwxrwt'
            foreach ($file in Get-ChildItem -Force $Shared) {
                $file.UnixMode | Should -Be '-rw-------' -Because $file.Name
                $file.User | Should -Be 'nobody' -Because $file.Name
            }
        }

        It 'refuses a folder others can write that has no sticky bit, and leaves its mode as it was' {
            $open = Join-Path $Folder 'open'
            New-Item -ItemType Directory $open | Out-Null
            chmod 777 $open
            $failure = Get-ErrorIdOf { Set-IcaConfig -Path "$open/p.yaml" -Profile a -ApiKey $ServerSecret }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*'
            $failure.Exception.Message | Should -Match 'sticky'
            (Get-Item $open).UnixMode | Should -Be 'drwxrwxrwx'
            Get-ChildItem -Force $open | Should -BeNullOrEmpty
        }

        It 'a profile whose folder others came to write (chmod 777 later) is refused by the readers too, and no token is kept there' {
            $later = Join-Path $Folder "later-$([guid]::NewGuid().ToString('N'))"
            Set-IcaConfig -Path "$later/p.yaml" -Profile a -ServerUrl $Server.Url -ApiKey $ServerSecret
            chmod 777 $later
            foreach ($reader in { Get-IcaToken -Path "$later/p.yaml" -Profile a }, { Get-IcaConfig a -Path "$later/p.yaml" }, { Set-IcaContext -Path "$later/p.yaml" -Profile a }) {
                $failure = Get-ErrorIdOf $reader
                $failure.FullyQualifiedErrorId | Should -BeLike 'IcaUnsafePermissions,*' -Because "$reader"
                $failure.Exception.Message | Should -Match ([regex]::Escape("folder '$later'"))
            }
            (Get-Item $later).UnixMode | Should -Be 'drwxrwxrwx'
            (Get-ChildItem -Force $later).Name | Sort-Object | Should -Be @('p.key', 'p.yaml', 'p.yaml.lock') -Because 'no token or lock file was created'
            chmod 1777 $later
            (Get-IcaToken -Path "$later/p.yaml" -Profile a).Source | Should -Be 'Minted' -Because 'a sticky folder is used as it is'
        }
    }

    Describe '2. Piping a profile object acts on its own file' {
        BeforeEach {
            $script:OtherFile = Join-Path $Folder 'other.yaml'
            Set-IcaConfig -Profile shared -ServerUrl $Server.Url -ApiKey $ServerSecret
            Set-IcaConfig -Path $OtherFile -Profile shared -ServerUrl $Server.Url -ApiKey $ServerSecret
            Set-IcaConfig -Path $OtherFile -Profile second -ServerUrl $Server.Url -ApiKey $ServerSecret
        }

        It 'Get-IcaConfig shared -Path ./other.yaml | Reset-IcaConfig -Force removes it from other.yaml, not the default file' {
            Push-Location $Folder
            try { Get-IcaConfig shared -Path ./other.yaml | Reset-IcaConfig -Force }
            finally { Pop-Location }
            (Get-IcaConfig -ListAvailable -Path $OtherFile).Profile | Should -Be @('second')
            (Get-IcaConfig -ListAvailable).Profile | Should -Be @('shared')
        }

        It 'Get-IcaConfig shared -Path ./other.yaml | Set-IcaConfig -ColorMode light changes other.yaml only' {
            Get-IcaConfig shared -Path $OtherFile | Set-IcaConfig -ColorMode light
            (Get-IcaConfig shared -Path $OtherFile).ColorMode | Should -Be 'light'
            (Get-IcaConfig shared).ColorMode | Should -Be 'none'
        }

        It '''default'',''second'' | Get-IcaToken mints for each name, as Get-IcaConfig takes names' {
            Set-IcaConfig -Profile second -ServerUrl $Server.Url -ApiKey $ServerSecret
            $tokens = 'shared', 'second' | Get-IcaToken
            $tokens.Profile | Should -Be @('shared', 'second')
        }

        It 'Get-IcaConfig -ListAvailable -Path other.yaml | Get-IcaToken uses each profile of that file' {
            Remove-Item $env:ICAPOWERSHELL_CONFIG_PATH
            $tokens = Get-IcaConfig -ListAvailable -Path $OtherFile | Get-IcaToken
            $tokens.Profile | Should -Be @('second', 'shared')
        }
    }

    Describe '3. -Profile (or -Path) beats every environment variable' {
        BeforeEach {
            Set-IcaConfig -Profile other -ServerUrl $Other.Url -ApiKey $OtherSecret
            Set-IcaConfig -Profile default -ServerUrl $Other.Url -ApiKey $OtherSecret
        }

        It 'Get-IcaToken -Profile other mints with that profile, not ICAV2_X_API_KEY at ICAV2_SERVER_URL' {
            $env:ICAV2_X_API_KEY = $Server.ApiKey
            $env:ICAV2_SERVER_URL = $Server.Url
            $token = Get-IcaToken -Profile other
            $token.ServerUrl | Should -Be $Other.Url
            $token.Profile | Should -Be 'other'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }

        It 'Get-IcaToken -Profile goood (a typo) is IcaProfileNotFound listing the profiles there are, never the environment''s key' {
            $env:ICAV2_X_API_KEY = $Server.ApiKey
            $env:ICAV2_SERVER_URL = $Server.Url
            $failure = Get-ErrorIdOf { Get-IcaToken -Profile goood }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaProfileNotFound,*'
            $failure.Exception.Message | Should -Match 'The profiles there are: default, other\.'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }

        It 'Get-IcaToken -Profile other with ICAV2_ACCESS_TOKEN set mints from the profile' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt
            $token = Get-IcaToken -Profile other -Force
            $token.Source | Should -Be 'Minted'
            $token.ServerUrl | Should -Be $Other.Url
        }

        It 'Get-IcaToken -Path file with ICAV2_X_API_KEY set uses the file''s default profile' {
            $env:ICAV2_X_API_KEY = $Server.ApiKey
            $file = $env:ICAPOWERSHELL_CONFIG_PATH
            Remove-Item Env:ICAPOWERSHELL_CONFIG_PATH
            (Get-IcaToken -Path $file).Profile | Should -Be 'default'
        }

        It 'Invoke-IcaRestMethod -ServerUrl stage with ICAV2_ACCESS_TOKEN for prod is refused, and nothing is sent' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt
            $env:ICAV2_SERVER_URL = $Server.Url
            $failure = Get-ErrorIdOf { Invoke-IcaRestMethod Delete projects/p1 -ServerUrl $Other.Url }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaEnvironmentTokenOtherServer,*'
            $failure.Exception.Message | Should -Match ([regex]::Escape('$env:ICAV2_ACCESS_TOKEN'))
            (Get-FakeIcaStats $Server).ApiRequests + (Get-FakeIcaStats $Other).ApiRequests | Should -Be 0
        }

        It 'Get-IcaToken obeys a changed ICAV2_SERVER_URL while ICAV2_ACCESS_TOKEN stays the same' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt
            $env:ICAV2_SERVER_URL = $Server.Url
            (Get-IcaToken).ServerUrl | Should -Be $Server.Url
            $env:ICAV2_SERVER_URL = $Other.Url
            (Get-IcaToken).ServerUrl | Should -Be $Other.Url
        }

        It 'still uses ICAV2_X_API_KEY when no -Profile or -Path is given (a pipeline step)' {
            $env:ICAV2_X_API_KEY = $Server.ApiKey
            $env:ICAV2_SERVER_URL = $Server.Url
            (Get-IcaToken).ServerUrl | Should -Be $Server.Url
        }
    }

    Describe '4. Nobody can answer: no hang, no crash, no prompt text' {
        BeforeEach {
            Set-IcaConfig -Profile second -ApiKey $ServerSecret
            $script:Prelude = "`$env:ICAPOWERSHELL_CONFIG_PATH = '$env:ICAPOWERSHELL_CONFIG_PATH'; Import-Module '$ModuleManifest'"
            $script:Report = "catch { 'id=' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }; 'still-running'"
        }

        It 'Reset-IcaConfig second under pwsh -NonInteractive fails with IcaConfirmationRequired naming -Force, and removes nothing' {
            $result = Invoke-FreshPowerShell "$Prelude; try { Reset-IcaConfig second } $Report"
            $result.Output | Should -Match 'id=IcaConfirmationRequired,'
            $result.Output | Should -Match '-Force or -Confirm:\$false'
            $result.Output | Should -Match 'still-running'
            $result.Output | Should -Not -Match 'NonInteractive mode|Object reference'
            (Get-IcaConfig second).Profile | Should -Be 'second'
        }

        It 'Reset-IcaConfig second with CI=true and stdin redirected shows no Confirm prompt and the script goes on' {
            $result = Invoke-FreshPowerShell -Interactive -InputText 'y' "`$env:CI = 'true'; $Prelude; try { Reset-IcaConfig second } $Report"
            $result.Output | Should -Match 'id=IcaConfirmationRequired,'
            $result.Output | Should -Not -Match 'Are you sure|\[Y\] Yes|Object reference'
            $result.Output | Should -Match 'still-running'
            (Get-IcaConfig second).Profile | Should -Be 'second'
        }

        It 'Set-IcaConfig -Profile newone -ColorMode light with stdin at end of file fails with IcaApiKeyRequired, writes no prompt, and pwsh goes on' {
            $result = Invoke-FreshPowerShell -Interactive -InputText '' "Remove-Item Env:CI, Env:TF_BUILD, Env:GITHUB_ACTIONS -ErrorAction Ignore; $Prelude; try { Set-IcaConfig -Profile newone -ColorMode light } $Report; exit 0"
            $result.ExitCode | Should -Be 0
            $result.Output | Should -Match 'id=IcaApiKeyRequired,'
            $result.Output | Should -Match '-ApiKey'
            $result.Output | Should -Not -Match 'API key :'
            $result.Output | Should -Match 'still-running'
        }

        It 'in a hosted runspace, Set-IcaConfig writes no server-url label before IcaApiKeyRequired, and Reset-IcaConfig asks nothing' {
            $result = Invoke-FreshPowerShell -Interactive -InputText '' @"
    $Prelude
    `$ps = [powershell]::Create()
    `$null = `$ps.AddScript("Import-Module '$ModuleManifest'; Set-IcaConfig -Profile hosted; Reset-IcaConfig second")
    `$out = `$ps.Invoke()
    'out=' + (`$out | Out-String) + '|info=' + (`$ps.Streams.Information | Out-String)
    `$ps.Streams.Error | ForEach-Object { 'id=' + `$_.FullyQualifiedErrorId }
"@
            $result.Output | Should -Not -Match 'server-url'
            $result.Output | Should -Match 'id=IcaApiKeyRequired,'
            $result.Output | Should -Match 'id=IcaConfirmationRequired,'
            (Get-IcaConfig second).Profile | Should -Be 'second'
        }

        It 'Reset-IcaConfig second -Confirm:$false and -Force still work non-interactively' {
            $result = Invoke-FreshPowerShell "$Prelude; Reset-IcaConfig second -Confirm:`$false; (Get-IcaConfig -ListAvailable).Count"
            $result.Output.Trim() | Should -Be '0'
        }
    }

    Describe '5. ExpiresOn in any time zone' -Skip:($IsWindows) {
        It 'ExpiresOn minus Get-Date is the token''s lifetime with TZ=America/New_York, and the table shows the zone' {
            $env:PESTER_FAKE_KEY = $Server.ApiKey
            try {
                $previous = $env:TZ
                $env:TZ = 'America/New_York'
                $result = Invoke-FreshPowerShell @"
    Import-Module '$ModuleManifest'
    `$t = Get-IcaToken -ApiKey (ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force) -ServerUrl '$($Server.Url)'
    'minutes=' + [math]::Round((`$t.ExpiresOn - (Get-Date)).TotalMinutes)
    'later=' + (`$t.ExpiresOn -gt (Get-Date).AddMinutes(50))
    'json=' + (`$t | ConvertTo-Json -Compress)
    `$t | Format-Table | Out-String
"@
            }
            finally { $env:TZ = $previous; $env:PESTER_FAKE_KEY = $null }
            $result.Output | Should -Match 'minutes=60'
            $result.Output | Should -Match 'later=True'
            $result.Output | Should -Match '"ExpiresOn":"[^"]+-0[45]:00"'
            $result.Output | Should -Match '\d\d:\d\d:\d\d -0[45]:00'
        }
    }

    Describe '6. The interactive Set-IcaConfig in a real terminal' -Skip:(-not $HasPty) {
        It 'Ctrl+C at the first question cancels at once: no key prompt, nothing saved, the script stops' {
            $path = Join-Path $Folder 'typed.yaml'
            $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$path' -Profile typed; 'AFTER-SET'" -Steps @(, @('server-url [ica.illumina.com]', "`u{3}"))
            # Before the fix, pwsh stayed at the prompt until the terminal was killed (exit 124).
            $result.ExitCode | Should -Not -Be 124 -Because $result.Screen
            $result.Screen | Should -Not -Match 'API key'
            $result.Screen | Should -Not -Match 'AFTER-SET'
            Test-Path $path | Should -BeFalse
        }

        It 'Ctrl+C at the masked key prompt cancels too, and nothing typed becomes the key' {
            $path = Join-Path $Folder 'typed.yaml'
            $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$path' -Profile typed; 'AFTER-SET'" -Steps @(
                @('server-url [ica.illumina.com]', "http://127.0.0.1:5099`r"),
                @('API key', "abc`u{3}", 1)
            )
            $result.ExitCode | Should -Not -Be 124 -Because $result.Screen
            $result.Screen | Should -Not -Match 'output-format'
            $result.Screen | Should -Not -Match 'AFTER-SET'
            Test-Path $path | Should -BeFalse
        }

        It 'a wrong output-format (jsn) is shown, asked again, and the URL and key already typed are kept' {
            $path = Join-Path $Folder 'typed.yaml'
            $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$path' -Profile typed" -Steps @(
                @('server-url [ica.illumina.com]', "http://127.0.0.1:5099`r"),
                @('API key', "pester-key-typed-0123456`r"),
                @('defaults to table)', "jsn`r"),
                @('not a valid value', ''),
                @('defaults to table)', "json`r"),
                @('colormode', "`r")
            )
            $result.ExitCode | Should -Be 0 -Because $result.Screen
            $config = Get-IcaConfig -Path $path -Profile typed
            $config.ServerUrl | Should -Be 'http://127.0.0.1:5099'
            $config.OutputFormat | Should -Be 'json'
            $config.HasApiKey | Should -BeTrue
        }
    }

    Describe '7. Messages that point at the right thing' {
        It 'Set-IcaConfig -ApiKey ''text'' says it takes a SecureString and how to make one, without quoting the text' {
            $failure = Get-ErrorIdOf { Set-IcaConfig -Profile x -ApiKey 'plain-text-key-12345' }
            $failure.Exception.Message | Should -Match 'SecureString'
            $failure.Exception.Message | Should -Match 'ConvertTo-SecureString|Read-Host -AsSecureString'
            # The message and every inner one; only the echo of the command line itself shows what was typed.
            for ($e = $failure.Exception; $e; $e = $e.InnerException) { $e.Message | Should -Not -Match 'plain-text-key' }
            $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey 'plain-text-key-12345' -ServerUrl $Server.Url }
            $failure.Exception.Message | Should -Match 'SecureString'
            $failure.Exception.Message | Should -Not -Match 'plain-text-key'
        }

        It 'Reset-IcaConfig ''sec*'' says wildcards are not supported and how to remove several' {
            $failure = Get-ErrorIdOf { Reset-IcaConfig 'sec*' -Force }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
            $failure.Exception.Message | Should -Match 'wildcards are not supported'
            $failure.Exception.Message | Should -Match ([regex]::Escape("Get-IcaConfig 'sec*' | Reset-IcaConfig"))
        }

        It 'Get-IcaConfig and Reset-IcaConfig with a typo list the profiles there are' {
            Set-IcaConfig -Profile prod -ApiKey $ServerSecret
            Set-IcaConfig -Profile stage -ApiKey $ServerSecret
            (Get-ErrorIdOf { Get-IcaConfig prd }).Exception.Message | Should -Match 'The profiles there are: prod, stage\.'
            (Get-ErrorIdOf { Reset-IcaConfig prd -Force }).Exception.Message | Should -Match 'The profiles there are: prod, stage\. Nothing was removed\.'
        }

        It 'an invalid profile name gives an example that reads as one ("-Profile prod", not "Pass -Profile prod")' {
            $message = (Get-ErrorIdOf { Set-IcaConfig -Profile 'a b' -ApiKey $ServerSecret }).Exception.Message
            $message | Should -Match 'for example -Profile prod\.'
            $message | Should -Not -Match 'example Pass'
            $env:ICAV2_PROFILE = 'a b'
            (Get-ErrorIdOf { Get-IcaConfig }).Exception.Message | Should -Match ([regex]::Escape("for example `$env:ICAV2_PROFILE = 'prod'."))
        }

        It 'a server typed as host:port without a scheme asks for the scheme instead of guessing https' {
            $port = ([uri]$Server.Url).Port
            $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey $ServerSecret -ServerUrl "127.0.0.1:$port" }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidServerUrl,*'
            $failure.Exception.Message | Should -Match ([regex]::Escape("http://127.0.0.1:$port"))
            $failure.Exception.Message | Should -Not -Match 'corrupted|frame'
        }

        It 'an unreachable server''s message reads as sentences ("... known. Check the server URL")' {
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
            try { $message = (Get-ErrorIdOf { Get-IcaToken -ApiKey $ServerSecret -ServerUrl 'ica.example.invalid' -Force }).Exception.Message }
            finally { $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = $null }
            $message | Should -Match '[.!?] Check the server URL'
        }

        It 'reading a broken YAML file leaves its mode alone and reports a line the file has' -Skip:($IsWindows) {
            $path = $env:ICAPOWERSHELL_CONFIG_PATH
            Set-Content $path "profiles:`n  default:`n    server-url: 'unclosed"
            chmod 644 $path
            $failure = Get-ErrorIdOf { Get-IcaConfig -ListAvailable }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileInvalid,*'
            $failure.Exception.Message | Should -Match 'line [1-3]\b'
            (Get-Item $path).UnixMode | Should -Be '-rw-r--r--'
        }
    }

    Describe '11. Small things' {
        It 'ConvertTo-Json writes Source as its name (Minted), not 0' {
            $json = Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url -Force | ConvertTo-Json -Compress
            $json | Should -Match '"Source":"Minted"'
        }

        It 'the fake ICA server stops on SIGTERM' -Skip:($IsWindows) {
            $extra = Start-FakeIca
            kill -TERM $extra.Process.Id
            $extra.Process.WaitForExit(10000) | Should -BeTrue
        }
    }
}
