#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tokens kept for other processes and runspaces, and the runspace's context (Get-, Set-, Clear-IcaContext),
# against the fake ICA server counting token requests.

BeforeDiscovery {
    $script:OnUnixAsRoot = -not $IsWindows -and $PSVersionTable.PSEdition -ne 'Desktop' -and (id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca

    function New-ProfileFile {
        # A profile file of its own for each test: kept tokens live beside it.
        param([string[]] $Profiles = @('kept'))
        $path = Join-Path $TestDrive "context-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        foreach ($name in $Profiles) {
            Set-IcaConfig -Path $path -Profile $name -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        }
        $path
    }

    function Start-MinterMidMint([string] $Path) {
        # A process minting profile 'kept' of PATH (a Slow fault makes the mint take a while), returned with
        # its output file once its request has reached the server: it loaded the profile and holds the lock.
        $script = "Import-Module '$ModuleManifest'; (Get-IcaToken -Profile kept -Path '$Path').Source"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $out = Join-Path $TestDrive "minter-$([guid]::NewGuid().ToString('N')).txt"
        $minter = Start-Process -FilePath $PowerShellCommand[0] -ArgumentList (@($PowerShellCommand | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) -RedirectStandardOutput $out -PassThru -NoNewWindow
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-FakeIcaStats $Server).TokenRequests -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $minter, $out
    }

    function Get-TokenInFreshProcess {
        # A new pwsh, as each step of a pipeline is: what Get-IcaToken's Source says there.
        param([string] $Path, [string] $Profile = 'kept', [hashtable] $Environment = @{})
        $set = ($Environment.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join '; '
        $result = Invoke-FreshPowerShell "$set; Import-Module '$ModuleManifest'; (Get-IcaToken -Profile '$Profile' -Path '$Path').Source"
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output.Trim()
    }
}

AfterAll {
    Stop-FakeIca $Server
}

Describe 'Tokens kept across processes' {
    BeforeEach { Reset-FakeIca $Server }

    It 'a second pwsh with the same profile sends no token request while the kept token is fresh' {
        $path = New-ProfileFile
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        Get-TokenInFreshProcess $path | Should -Be 'Kept'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'the kept file is user-only and holds no token, key or JWT part in readable form' {
        $path = New-ProfileFile
        $jwt = Get-IcaToken -Profile kept -Path $path -AsPlainText -Force
        $kept = Join-Path (Split-Path $path) 'profiles.yaml~kept.token'
        $text = [IO.File]::ReadAllText($kept)
        foreach ($secret in @($jwt) + $jwt.Split('.') + $Server.ApiKey) { $text.Contains($secret) | Should -BeFalse }
        if (-not $IsWindows) { (Get-Item $kept).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'after Reset-IcaConfig -Profile, the next process mints' {
        $path = New-ProfileFile -Profiles kept, other
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        Reset-IcaConfig -Path $path -Profile kept -Force
        Set-IcaConfig -Path $path -Profile kept -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It 'after Clear-IcaContext -KeptToken, the next process mints' {
        $path = New-ProfileFile
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        Clear-IcaContext -Path $path -KeptToken
        Test-Path (Join-Path (Split-Path $path) 'profiles.yaml~kept.token') | Should -BeFalse
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
    }

    It 'a new API key set with Set-IcaConfig never gets the old token' {
        $path = New-ProfileFile
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        Set-IcaConfig -Path $path -Profile kept -ApiKey (ConvertTo-TestSecret 'pester-key-rotated-and-unknown')
        $result = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; try { Get-IcaToken -Profile kept -Path '$path' } catch { `$_.FullyQualifiedErrorId }"
        $result.Output | Should -Match '^IcaApiKeyRejected,'
    }

    It 'a key from $env:ICAV2_X_API_KEY never leaves a file behind' {
        $path = New-ProfileFile
        $folder = Split-Path $path
        $result = Invoke-FreshPowerShell "`$env:ICAV2_X_API_KEY = '$($Server.ApiKey)'; `$env:ICAV2_SERVER_URL = '$($Server.Url)'; `$env:ICAPOWERSHELL_CONFIG_PATH = '$path'; Import-Module '$ModuleManifest'; (Get-IcaToken).Source"
        $result.Output.Trim() | Should -Be 'Minted'
        @(Get-ChildItem $folder -Filter *.token).Count | Should -Be 0
    }

    It 'with $env:ICAPOWERSHELL_KEEP_TOKENS = all, a second pwsh takes the token of $env:ICAV2_X_API_KEY, and another key does not' {
        $path = New-ProfileFile
        $environment = @{ ICAPOWERSHELL_KEEP_TOKENS = 'all'; ICAV2_X_API_KEY = $Server.ApiKey; ICAV2_SERVER_URL = $Server.Url; ICAPOWERSHELL_CONFIG_PATH = $path }
        $script = { param($e) (($e.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join '; ') + "; Import-Module '$ModuleManifest'; try { (Get-IcaToken).Source } catch { `$_.FullyQualifiedErrorId }" }
        (Invoke-FreshPowerShell (& $script $environment)).Output.Trim() | Should -Be 'Minted'
        (Invoke-FreshPowerShell (& $script $environment)).Output.Trim() | Should -Be 'Kept'
        Test-Path (Join-Path (Split-Path $path) 'profiles.yaml~@credential.token') | Should -BeTrue
        $environment.ICAV2_X_API_KEY = 'pester-key-not-the-servers'
        (Invoke-FreshPowerShell (& $script $environment)).Output.Trim() | Should -BeLike 'IcaApiKeyRejected,*'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It '$env:ICAPOWERSHELL_KEEP_TOKENS = 0 (or off) keeps tokens in the runspace only' {
        $path = New-ProfileFile
        Get-TokenInFreshProcess $path -Environment @{ ICAPOWERSHELL_KEEP_TOKENS = '0' } | Should -Be 'Minted'
        Get-TokenInFreshProcess $path -Environment @{ ICAPOWERSHELL_KEEP_TOKENS = 'off' } | Should -Be 'Minted'
        @(Get-ChildItem (Split-Path $path) -Filter *.token).Count | Should -Be 0
    }

    It 'a kept token file another user planted is ignored, and the call mints' -Skip:(-not $OnUnixAsRoot) {
        $path = New-ProfileFile
        Get-IcaToken -Profile kept -Path $path -Force | Out-Null
        $kept = Join-Path (Split-Path $path) 'profiles.yaml~kept.token'
        chown nobody $kept
        $result = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; `$t = Get-IcaToken -Profile kept -Path '$path' -Verbose 4>&1; `$t | Where-Object { `$_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message; (`$t | Where-Object { `$_ -isnot [Management.Automation.VerboseRecord] }).Source"
        $result.Output | Should -Match 'could not be used'
        ($result.Output.Trim() -split '\r?\n')[-1] | Should -Be 'Minted'
    }

    It 'in a shared sticky folder, another user''s *.token files neither block Reset-IcaConfig or Clear-IcaContext nor get deleted' -Skip:(-not $OnUnixAsRoot) {
        $shared = Join-Path $TestDrive "sticky-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $shared | Out-Null
        chmod 1777 $shared
        $path = Join-Path $shared 'ica.yaml'
        Set-IcaConfig -Path $path -Profile prod -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Get-IcaToken -Path $path -Profile prod | Out-Null
        $planted = foreach ($name in 'ica.yaml~zzz.token', 'ica.yaml~prod2.token') { $f = Join-Path $shared $name; New-Item $f | Out-Null; chown nobody $f; $f }
        Set-IcaConfig -Path $path -Profile prod2 -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Reset-IcaConfig -Path $path -Profile prod2 -Force
        Clear-IcaContext -Path $path -KeptToken
        Test-Path (Join-Path $shared 'ica.yaml~prod.token') | Should -BeFalse
        Reset-IcaConfig -Path $path -All -Force
        Test-Path $path | Should -BeFalse
        $planted | ForEach-Object { Test-Path $_ | Should -BeTrue }
        (Get-Item $shared).UnixFileMode.HasFlag([IO.UnixFileMode]::StickyBit) | Should -BeTrue
    }

    It 'a kept token file of ours that is too large is ignored and replaced, not an error' {
        $path = New-ProfileFile
        $kept = Join-Path (Split-Path $path) 'profiles.yaml~kept.token'
        [IO.File]::WriteAllBytes($kept, [byte[]]::new(70000))
        if (-not $IsWindows) { chmod 600 $kept }
        (Get-IcaToken -Profile kept -Path $path).Source | Should -Be 'Minted'
        (Get-Item $kept).Length | Should -BeLessThan 4096
    }

    It 'two profile files in one folder never share a kept token file, and -Path with a * deletes nothing else' {
        $folder = Join-Path $TestDrive "names-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $folder | Out-Null
        Set-IcaConfig -Path (Join-Path $folder 'a.yaml') -Profile 'b.c' -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Set-IcaConfig -Path (Join-Path $folder 'a.b.yaml') -Profile 'c' -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Get-IcaToken -Path (Join-Path $folder 'a.yaml') -Profile 'b.c' -Force | Out-Null
        Get-IcaToken -Path (Join-Path $folder 'a.b.yaml') -Profile 'c' -Force | Out-Null
        @(Get-ChildItem $folder -Filter *.token).Count | Should -Be 2
        New-Item (Join-Path $folder 'unrelated.token') | Out-Null
        Clear-IcaContext -Path (Join-Path $folder '*') -KeptToken
        @(Get-ChildItem $folder -Filter *.token).Count | Should -Be 3
        Clear-IcaContext -Path (Join-Path $folder 'a.yaml') -KeptToken
        @(Get-ChildItem $folder -Filter *.token).Name | Sort-Object | Should -Be @('a.b.yaml~c.token', 'unrelated.token')
    }

    It 'eight cold processes started together send exactly one token request' {
        $path = New-ProfileFile
        # The mint takes a moment, as a real one does, so the eight really overlap.
        Add-FakeIcaFault $Server -Kind Slow -DelayMilliseconds 1500
        $script = "Import-Module '$ModuleManifest'; (Get-IcaToken -Profile kept -Path '$path').Source"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $processes = 1..8 | ForEach-Object {
            $out = Join-Path $TestDrive "cold-$_-$([guid]::NewGuid().ToString('N')).txt"
            [pscustomobject]@{ Out = $out; Process = Start-Process -FilePath $PowerShellCommand[0] -ArgumentList (@($PowerShellCommand | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded) -RedirectStandardOutput $out -PassThru -NoNewWindow }
        }
        $processes.Process | Wait-Process -Timeout 120
        $sources = $processes | ForEach-Object { (Get-Content -Raw $_.Out).Trim() }
        @($sources | Where-Object { $_ -eq 'Minted' }).Count | Should -Be 1
        @($sources | Where-Object { $_ -eq 'Kept' }).Count | Should -Be 7
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'when the process minting is killed, the waiting ones mint themselves within seconds' {
        $path = New-ProfileFile
        Add-FakeIcaFault $Server -Kind Slow -DelayMilliseconds 60000
        $script = "Import-Module '$ModuleManifest'; (Get-IcaToken -Profile kept -Path '$path').Source"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $arguments = @($PowerShellCommand | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded
        $holder = Start-Process -FilePath $PowerShellCommand[0] -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path $TestDrive "holder-$([guid]::NewGuid().ToString('N')).txt")
        # The holder's request has reached the server: it holds the lock and waits for its answer.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-FakeIcaStats $Server).TokenRequests -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $waiters = 1..3 | ForEach-Object {
            $out = Join-Path $TestDrive "waiter-$_-$([guid]::NewGuid().ToString('N')).txt"
            [pscustomobject]@{ Out = $out; Process = Start-Process -FilePath $PowerShellCommand[0] -ArgumentList $arguments -RedirectStandardOutput $out -PassThru -NoNewWindow }
        }
        Start-Sleep -Seconds 2   # let the waiters reach the lock; this is the scenario, not a race fix
        $holder.Kill()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $waiters.Process | Wait-Process -Timeout 60
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        $sources = $waiters | ForEach-Object { (Get-Content -Raw $_.Out).Trim() }
        @($sources | Where-Object { $_ -in 'Minted', 'Kept' }).Count | Should -Be 3
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It '<Forget> while another process mints: the token it keeps meanwhile is not left on disk (reviews 3 and 4)' -ForEach @(
        @{ Forget = 'Reset-IcaConfig -Profile kept -Force' }
        @{ Forget = 'Clear-IcaContext -KeptToken' }
    ) {
        $path = New-ProfileFile
        Add-FakeIcaFault $Server -Kind Slow -DelayMilliseconds 3000
        $minter, $out = Start-MinterMidMint $path
        & ([scriptblock]::Create("$Forget -Path '$path'"))
        $minter | Wait-Process -Timeout 60
        (Get-Content -Raw $out).Trim() | Should -Be 'Minted' -Because 'the call that was under way still gets its token'
        Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token' | Should -BeNullOrEmpty
    }

    It 'another profile of the file changed while a process mints: the token is still kept (verifier''s finding G)' {
        $path = New-ProfileFile -Profiles kept, other
        Add-FakeIcaFault $Server -Kind Slow -DelayMilliseconds 3000
        $minter, $out = Start-MinterMidMint $path
        Set-IcaConfig -Profile other -Path $path -ColorMode dark
        $minter | Wait-Process -Timeout 60
        (Get-Content -Raw $out).Trim() | Should -Be 'Minted'
        (Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token').Name | Should -Be @('profiles.yaml~kept.token')
        (Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; (Get-IcaToken -Profile kept -Path '$path').Source").Output.Trim() | Should -Be 'Kept'
    }

    It 'eight ForEach-Object -Parallel runspaces send exactly one token request' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $path = New-ProfileFile
        Add-FakeIcaFault $Server -Kind Slow -DelayMilliseconds 1000
        $manifest = $ModuleManifest
        $sources = 1..8 | ForEach-Object -ThrottleLimit 8 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            (Get-IcaToken -Profile kept -Path $using:path).Source
        }
        @($sources | Where-Object { $_ -eq 'Minted' }).Count | Should -Be 1
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }
}

Describe 'The runspace context' {
    BeforeEach { Reset-FakeIca $Server }
    AfterEach { Clear-IcaContext }

    It 'Get-IcaContext says what the next call will use without minting' {
        $path = New-ProfileFile
        $context = Get-IcaContext -Profile kept -Path $path
        $context.Source | Should -Be 'Profile'
        $context.Profile | Should -Be 'kept'
        $context.ServerUrl | Should -Be $Server.Url
        $context.TokenState | Should -Be 'None'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
    }

    It 'Get-IcaContext -Token gets a token and shows its tenant, user and local expiry' {
        $path = New-ProfileFile
        $context = Get-IcaContext -Profile kept -Path $path -Token
        $context.TokenState | Should -BeIn 'Minted', 'Kept'
        $context.Tenant | Should -Be 'fake-tenant'
        $context.User | Should -Not -BeNullOrEmpty
        ($context.TokenExpiresOn - [DateTimeOffset]::Now).TotalMinutes | Should -BeGreaterThan 50
        (Get-IcaContext -Profile kept -Path $path).TokenState | Should -Be 'Memory'
    }

    It 'Set-IcaContext -Profile makes calls without -Profile use it, over the environment''s key' {
        $path = New-ProfileFile -Profiles kept, second
        $result = Invoke-FreshPowerShell @"
`$env:ICAV2_X_API_KEY = 'pester-key-from-the-environment'
`$env:ICAV2_SERVER_URL = 'https://ica.invalid.example'
Import-Module '$ModuleManifest'
Set-IcaContext -Profile second -Path '$path'
`$t = Get-IcaToken
"`$(`$t.Profile) `$(`$t.ServerUrl) `$((Get-IcaContext).ProfileFromContext)"
"@
        $result.Output.Trim() | Should -Be "second $($Server.Url) True"
    }

    It 'Set-IcaContext with a profile that does not exist lists the ones there are' {
        $path = New-ProfileFile -Profiles alpha, beta
        $record = Get-ErrorIdOf { Set-IcaContext -Profile gamma -Path $path }
        $record.FullyQualifiedErrorId | Should -BeLike 'IcaProfileNotFound,*'
        $record.Exception.Message | Should -Match 'alpha, beta'
    }

    It 'each parallel runspace keeps its own context' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $path = New-ProfileFile -Profiles p1, p2, p3
        $manifest = $ModuleManifest
        $seen = 1..3 | ForEach-Object -ThrottleLimit 3 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            Set-IcaContext -Profile "p$_" -Path $using:path -ProjectId "project-$_"
            Start-Sleep -Milliseconds 300   # all three contexts are set before any is read
            $c = Get-IcaContext
            "$_=$($c.Profile)/$($c.ProjectId)"
        }
        $seen | Sort-Object | Should -Be @('1=p1/project-1', '2=p2/project-2', '3=p3/project-3')
    }

    It 'the project comes from Set-IcaContext, else from $env:ICAV2_PROJECT_ID' {
        $result = Invoke-FreshPowerShell @"
`$env:ICAV2_PROJECT_ID = 'from-environment'
Import-Module '$ModuleManifest'
`$path = '$(New-ProfileFile)'
(Get-IcaContext -Profile kept -Path `$path).ProjectFrom
Set-IcaContext -Profile kept -Path `$path -ProjectId from-context
(Get-IcaContext).ProjectId
"@
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('$env:ICAV2_PROJECT_ID', 'from-context')
    }

    It 'Set-IcaContext -WhatIf changes nothing, and Clear-IcaContext forgets the context and the tokens' {
        $path = New-ProfileFile -Profiles kept, second
        Set-IcaContext -Profile kept -Path $path
        Set-IcaContext -Profile second -WhatIf
        (Get-IcaContext).Profile | Should -Be 'kept'
        Get-IcaToken | Out-Null
        (Get-IcaContext).TokenState | Should -Be 'Memory'
        Clear-IcaContext
        (Get-IcaContext -Profile kept -Path $path).TokenState | Should -Be 'Kept'
        (Get-IcaContext -Profile kept -Path $path).ProfileFromContext | Should -BeFalse
    }

    It 'Invoke-IcaRestMethod fills {projectId} from the context, else from $env:ICAV2_PROJECT_ID' {
        $path = New-ProfileFile
        Set-IcaContext -Profile kept -Path $path -ProjectId p00003
        (Invoke-IcaRestMethod 'projects/{projectId}').name | Should -Be 'project-00003'
        Clear-IcaContext
        Set-IcaContext -Profile kept -Path $path
        $env:ICAV2_PROJECT_ID = 'p00004'
        try { (Invoke-IcaRestMethod 'projects/{projectId}').name | Should -Be 'project-00004' }
        finally { Remove-Item Env:ICAV2_PROJECT_ID }
    }

    It 'a path with {projectId} and no project set is refused before anything is sent' {
        $path = New-ProfileFile
        Set-IcaContext -Profile kept -Path $path
        $record = Get-ErrorIdOf { Invoke-IcaRestMethod 'projects/{projectId}/analyses' }
        $record.FullyQualifiedErrorId | Should -BeLike 'IcaProjectRequired,*'
        $record.Exception.Message | Should -Match 'Set-IcaContext -ProjectId'
        $record.Exception.Message | Should -Match 'Set-IcaConfig -ProjectId'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
    }

    It 'Set-IcaContext -ProjectName finds the project with ICA''s search' {
        $path = New-ProfileFile
        Set-IcaContext -Profile kept -Path $path -ProjectName project-00002
        (Get-IcaContext).ProjectId | Should -Be 'p00002'
    }

    It 'Set-IcaContext -ProjectName that matches nothing, or several, lists what the search found and keeps the context' {
        $path = New-ProfileFile
        Set-IcaContext -Profile kept -Path $path -ProjectId p00001
        $missing = Get-ErrorIdOf { Set-IcaContext -ProjectName 'no-such-project' }
        $missing.FullyQualifiedErrorId | Should -BeLike 'IcaProjectNotFound,*'
        Invoke-IcaRestMethod Post projects -Body @{ name = 'Trial'; shortDescription = '' } -Confirm:$false | Out-Null
        Invoke-IcaRestMethod Post projects -Body @{ name = 'TRIAL'; shortDescription = '' } -Confirm:$false | Out-Null
        $ambiguous = Get-ErrorIdOf { Set-IcaContext -ProjectName 'trial' }
        $ambiguous.FullyQualifiedErrorId | Should -BeLike 'IcaProjectAmbiguous,*'
        $ambiguous.Exception.Message | Should -Match "'Trial'.*'TRIAL'|'TRIAL'.*'Trial'"
        (Get-IcaContext).ProjectId | Should -Be 'p00001'
    }

    It 'Set-IcaContext -Path alone uses that file''s default profile, and another profile drops the project' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaContext -Path $path -ProjectId p00001
        $context = Get-IcaContext
        $context.Profile | Should -Be 'default'
        $context.ProfilePath | Should -Be $path
        $context.ProjectId | Should -Be 'p00001'
        Set-IcaContext -Profile other
        (Get-IcaContext).ProjectId | Should -BeNullOrEmpty
        (Get-IcaContext -Profile default).ProfilePath | Should -Be $path
    }

    It 'Set-IcaContext refuses a blank, multi-line or name-like -ProjectId, and an empty variable' {
        (Get-ErrorIdOf { Set-IcaContext -ProjectId ' ' }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
        (Get-ErrorIdOf { Set-IcaContext -ProjectId "p1`r`nX-Evil: 1" }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
        $record = Get-ErrorIdOf { Set-IcaContext -ProjectId 'My trial' }
        $record.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
        $record.Exception.Message | Should -Match '-ProjectName'
        $unset = $null   # the suite runs in strict mode; a user's unset variable is $null
        (Get-ErrorIdOf { Set-IcaContext -ProjectId $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
        (Get-ErrorIdOf { Set-IcaContext -Profile $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        (Get-ErrorIdOf { Set-IcaContext -Path '' -ProjectId p1 }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidSetting,*'
        (Get-IcaContext -Path (New-ProfileFile -Profiles default)).ProjectFrom | Should -BeNullOrEmpty
    }

    It 'Set-IcaContext with nothing to set says what to pass' {
        (Get-ErrorIdOf { Set-IcaContext }).FullyQualifiedErrorId | Should -BeLike 'IcaContextNothingToSet,*'
    }
}

Describe 'A project stored in a profile, and a context piped back' {
    BeforeEach { Reset-FakeIca $Server }
    AfterEach { Clear-IcaContext }

    It 'a fresh process fills {projectId} from the stored project of the profile it uses: an explicit -Profile''s, not the default''s' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile default -ProjectId p00001
        Set-IcaConfig -Path $path -Profile other -ProjectId p00002
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
(Invoke-IcaRestMethod 'projects/{projectId}').name
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile other).name
(Get-IcaContext -Profile other).ProjectFrom
`$env:ICAV2_PROFILE = 'other'
(Invoke-IcaRestMethod 'projects/{projectId}').name
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('project-00001', 'project-00002', "profile 'other'", 'project-00002')
    }

    It 'an explicit -Profile''s stored project beats $env:ICAV2_PROJECT_ID, and Set-IcaContext''s project serves the calls of its own profile only, in a fresh process' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile other -ProjectId p00002
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
`$env:ICAV2_PROJECT_ID = 'p00003'
Import-Module '$ModuleManifest'
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile other).name
(Get-IcaContext -Profile other).ProjectFrom
Set-IcaContext -Profile other -ProjectId p00004
(Invoke-IcaRestMethod 'projects/{projectId}').name
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile default).name
(Get-IcaContext).ProjectFrom
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('project-00002', "profile 'other'", 'project-00004', 'project-00003', 'Set-IcaContext')
    }

    It 'Set-IcaContext -Profile brings that profile''s stored project; a token from $env:ICAV2_X_API_KEY brings none' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile default -ProjectId p00001
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
`$env:ICAV2_X_API_KEY = '$($Server.ApiKey)'
`$env:ICAV2_SERVER_URL = '$($Server.Url)'
Import-Module '$ModuleManifest'
try { Invoke-IcaRestMethod 'projects/{projectId}' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }
Set-IcaContext -Profile default
(Invoke-IcaRestMethod 'projects/{projectId}').name
"@
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('IcaProjectRequired,IcaPowerShell.Commands.InvokeIcaRestMethodCommand', 'project-00001')
    }

    It 'the project found by name is stored with Set-IcaConfig -ProjectId (Get-IcaContext).ProjectId, and a next process uses it' {
        $path = New-ProfileFile -Profiles default
        Set-IcaContext -Path $path -ProjectName project-00002
        Set-IcaConfig -Path $path -ProjectId (Get-IcaContext).ProjectId
        Clear-IcaContext
        $result = Invoke-FreshPowerShell "`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'; Import-Module '$ModuleManifest'; (Invoke-IcaRestMethod 'projects/{projectId}').name"
        $result.Output.Trim() | Should -Be 'project-00002'
    }

    It 'a $env:ICAV2_PROJECT_ID that holds a name, not an id, is named before anything is sent' {
        $path = New-ProfileFile
        Set-IcaContext -Profile kept -Path $path
        $env:ICAV2_PROJECT_ID = 'My trial'
        try {
            $record = Get-ErrorIdOf { Invoke-IcaRestMethod 'projects/{projectId}' }
            $record.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
            $record.Exception.Message | Should -Match 'ICAV2_PROJECT_ID'
            (Get-IcaContext).ProjectId | Should -Be 'My trial'   # shown as it is, so the user sees what is wrong
            (Invoke-IcaRestMethod projects -First 1).id | Should -Be 'p00001'   # a path without {projectId} does not care
        }
        finally { Remove-Item Env:ICAV2_PROJECT_ID }
        (Get-FakeIcaStats $Server).ApiRequests | Should -Be 1
    }

    It 'Reset-IcaConfig removes the profile and its project with it' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile other -ProjectId p00002
        Reset-IcaConfig -Path $path -Profile other -Force
        Set-IcaConfig -Path $path -Profile other -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        Set-IcaContext -Path $path -Profile other
        (Get-IcaContext).ProjectId | Should -BeNullOrEmpty
        (Get-ErrorIdOf { Invoke-IcaRestMethod 'projects/{projectId}' }).FullyQualifiedErrorId | Should -BeLike 'IcaProjectRequired,*'
    }

    It 'Get-IcaContext piped to Set-IcaContext sets the same profile, file and project, and one without a project or file sets what it has' {
        $path = New-ProfileFile -Profiles default, second
        Set-IcaContext -Profile second -Path $path -ProjectId p00002
        $saved = Get-IcaContext
        Clear-IcaContext
        $saved | Set-IcaContext
        $context = Get-IcaContext
        $context.Profile | Should -Be 'second'
        $context.ProfilePath | Should -Be $path
        $context.ProjectId | Should -Be 'p00002'
        (Invoke-IcaRestMethod 'projects/{projectId}').name | Should -Be 'project-00002'

        Set-IcaContext -Profile default -Path $path
        $withoutProject = Get-IcaContext
        Clear-IcaContext
        $withoutProject | Set-IcaContext
        (Get-IcaContext).Profile | Should -Be 'default'
        (Get-IcaContext).ProjectId | Should -BeNullOrEmpty

        # A context whose token comes from the environment names no profile or file: nothing to set.
        $fromEnvironment = [pscustomobject]@{ Profile = $null; ProfilePath = $null; ProjectId = $null }
        (Get-ErrorIdOf { $fromEnvironment | Set-IcaContext }).FullyQualifiedErrorId | Should -BeLike 'IcaContextNothingToSet,*'
    }

    It 'Get-IcaConfig piped to Set-IcaContext uses that profile of that file, and takes its stored project as the context''s' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile other -ProjectId p00003
        Get-IcaConfig -Path $path -Profile other | Set-IcaContext
        (Get-IcaContext).Profile | Should -Be 'other'
        (Invoke-IcaRestMethod 'projects/{projectId}').name | Should -Be 'project-00003'
        (Get-IcaContext).ProjectFrom | Should -Be 'Set-IcaContext'
    }

    It 'a piped context across runspaces: each ForEach-Object -Parallel block gets the context it is given' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $path = New-ProfileFile -Profiles default
        Set-IcaContext -Path $path -ProjectId p00004
        $context = Get-IcaContext
        $manifest = $ModuleManifest
        $names = 1..2 | ForEach-Object -ThrottleLimit 2 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            $using:context | Set-IcaContext
            (Invoke-IcaRestMethod 'projects/{projectId}').name
        }
        $names | Should -Be @('project-00004', 'project-00004')
    }

    It 'a kept token''s lock file stays after Reset-IcaConfig and Clear-IcaContext -KeptToken: empty, user-only, and the next process mints and keeps again' {
        $path = New-ProfileFile
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        $kept = Join-Path (Split-Path $path) 'profiles.yaml~kept.token'
        Clear-IcaContext -Path $path -KeptToken
        Test-Path $kept | Should -BeFalse
        (Get-Item "$kept.lock").Length | Should -Be 0
        if (-not $IsWindows) { (Get-Item "$kept.lock").UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        Get-TokenInFreshProcess $path | Should -Be 'Minted'
        Get-TokenInFreshProcess $path | Should -Be 'Kept'
        Reset-IcaConfig -Path $path -Profile kept -Force
        Test-Path $kept | Should -BeFalse
        Test-Path "$kept.lock" | Should -BeTrue
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }
}
