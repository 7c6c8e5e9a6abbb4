#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# When Set-IcaConfig asks, and when it must not: a real terminal, -NonInteractive, CI, a hosted runspace.

BeforeDiscovery {
    $script:HasPty = -not $IsWindows -and [bool](Get-Command python3 -ErrorAction Ignore)
    if (-not $HasPty) { Write-Warning 'No python3 (or Windows): the real-terminal prompt tests are skipped.' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    # Whatever this run's environment says, the child processes decide for themselves.
    $script:Attended = @{ CI = $null; TF_BUILD = $null; GITHUB_ACTIONS = $null; AUTOMATION_ASSET_ACCOUNTID = $null; TERM = 'xterm' }

    function Invoke-InTerminal {
        # Runs SCRIPT in a fresh pwsh in a pty and types each answer when its prompt shows.
        param([string] $Script, [object[]] $Steps)
        $spec = @{
            command = @($PowerShellCommand) + @('-NoProfile', '-Command', $Script)
            env     = $Attended
            steps   = $Steps
            timeout = 90
        } | ConvertTo-Json -Depth 5
        $screen = $spec | python3 (Join-Path $PSScriptRoot 'Support/pty_session.py')
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Screen = ($screen -join "`n") }
    }

    function Invoke-Unattended {
        # A fresh pwsh without -NonInteractive and without CI variables, running SCRIPT.
        param([string] $Script)
        $clear = ($Attended.Keys | ForEach-Object { "Remove-Item Env:$_ -ErrorAction SilentlyContinue" }) -join '; '
        Invoke-FreshPowerShell -Interactive -Script "$clear; $Script" -InputText ''
    }
}

Describe 'Set-IcaConfig prompts' {
    BeforeEach {
        $script:ProfilePath = Join-Path $TestDrive "pr-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        $script:TypedKey = 'pester-key-typed-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    }

    It 'never prompts under pwsh -NonInteractive, and names -ApiKey and ICAV2_X_API_KEY' {
        $result = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; try { Set-IcaConfig -Path '$ProfilePath' -Profile ci -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $result.Output | Should -Match 'IcaApiKeyRequired,'
        $result.Output | Should -Match '-ApiKey'
        $result.Output | Should -Match 'ICAV2_X_API_KEY'
        Test-Path $ProfilePath | Should -BeFalse
    }

    It 'never prompts when a CI variable says the session is unattended (<Name>)' -ForEach @(
        @{ Name = 'TF_BUILD'; Value = 'True' }, @{ Name = 'CI'; Value = 'true' }, @{ Name = 'GITHUB_ACTIONS'; Value = 'true' }
    ) {
        $result = Invoke-Unattended "`$env:$Name = '$Value'; Import-Module '$ModuleManifest'; try { Set-IcaConfig -Path '$ProfilePath' -Profile ci -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $result.Output | Should -Match 'IcaApiKeyRequired,'
    }

    It 'gives IcaApiKeyRequired, not the host''s error, in a runspace whose host cannot prompt' {
        # No -NonInteractive and no CI variable: only the host knows that nobody can answer.
        $result = Invoke-Unattended @"
`$ps = [powershell]::Create()
`$null = `$ps.AddScript("Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$ProfilePath' -Profile hosted")
`$null = `$ps.Invoke()
`$ps.Streams.Error | ForEach-Object { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $result.Output | Should -Match 'IcaApiKeyRequired,'
        $result.Output | Should -Match "host 'Default Host'"
        $result.Output | Should -Match '-ApiKey'
        $result.Output | Should -Not -Match 'NonInteractive mode'
    }

    It 'takes ICAV2_X_API_KEY instead of prompting when nobody can answer' {
        $result = Invoke-FreshPowerShell "`$env:ICAV2_X_API_KEY = '$TypedKey'; Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$ProfilePath' -Profile ci; (Get-IcaConfig -Path '$ProfilePath' -Profile ci).HasApiKey"
        $result.Output | Should -Match 'True'
    }

    It 'asks every setting like icav2 config set in a real terminal, and never echoes the key' -Skip:(-not $HasPty) {
        $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$ProfilePath' -Profile typed; Get-IcaConfig -Path '$ProfilePath' -Profile typed | Format-List Profile, ServerUrl, OutputFormat, ColorMode, HasApiKey" -Steps @(
            @('server-url [ica.illumina.com]', "http://127.0.0.1:5099`r"),
            @('API key', "$TypedKey`r"),
            @('output-format (allowed values table,yaml,json defaults to table)', "json`r"),
            @('colormode (allowed values none,dark,light defaults to none)', "`r")
        )
        $result.ExitCode | Should -Be 0 -Because $result.Screen
        $result.Screen | Should -Not -Match ([regex]::Escape($TypedKey))
        # One mask character per key typed (the terminal's cursor queries come between them).
        ([regex]::Matches($result.Screen, '\*')).Count | Should -BeGreaterOrEqual $TypedKey.Length
        $config = Get-IcaConfig -Path $ProfilePath -Profile typed
        $config.ServerUrl | Should -Be 'http://127.0.0.1:5099'
        $config.OutputFormat | Should -Be 'json'
        $config.ColorMode | Should -Be 'none'
        $config.HasApiKey | Should -BeTrue
    }

    It 'keeps the current key when Enter is pressed at the key prompt, and shows current values' -Skip:(-not $HasPty) {
        Set-IcaConfig -Path $ProfilePath -Profile typed -ServerUrl ica.example.org -ApiKey (ConvertTo-TestSecret $TypedKey) -OutputFormat yaml
        $keyLine = (Get-Content $ProfilePath | Select-String 'x-api-key').Line
        $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$ProfilePath' -Profile typed" -Steps @(
            @('server-url [ica.example.org]', "`r"),
            @('API key (press enter to keep the current one)', "`r"),
            @('defaults to yaml', "`r"),
            @('colormode', "dark`r")
        )
        $result.ExitCode | Should -Be 0 -Because $result.Screen
        (Get-Content $ProfilePath | Select-String 'x-api-key').Line | Should -Be $keyLine
        (Get-IcaConfig -Path $ProfilePath -Profile typed).ColorMode | Should -Be 'dark'
    }

    It 'asks only for the key when other settings were given and the profile has none' -Skip:(-not $HasPty) {
        $result = Invoke-InTerminal -Script "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$ProfilePath' -Profile typed -ColorMode light" -Steps @(, @('API key', "$TypedKey`r"))
        $result.ExitCode | Should -Be 0 -Because $result.Screen
        $result.Screen | Should -Not -Match 'server-url'
        (Get-IcaConfig -Path $ProfilePath -Profile typed).HasApiKey | Should -BeTrue
    }
}
