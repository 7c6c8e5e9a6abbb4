#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The quick way to a kept token in a fresh process: taken without parsing the profile file or
# decrypting its key only while that file is byte for byte the one the token was minted from.
# Each scenario in fresh pwsh processes, against the fake ICA server counting token requests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $script:QuickLine = 'the profile file is unchanged since'

    function New-ProfileFile {
        param([string[]] $Profiles = @('kept'))
        $path = Join-Path $TestDrive "quick-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        foreach ($name in $Profiles) {
            Set-IcaConfig -Path $path -Profile $name -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        }
        $path
    }

    function Invoke-TokenInFreshProcess {
        # A new pwsh: the Source of its token (or the error id), and its verbose lines.
        param([string] $Arguments, [hashtable] $Environment = @{})
        $set = ($Environment.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join '; '
        $result = Invoke-FreshPowerShell @"
$set
Import-Module '$ModuleManifest'
try {
    # Streamed, so that the verbose lines written before an error are seen too.
    Get-IcaToken $Arguments -Verbose 4>&1 | ForEach-Object {
        if (`$_ -is [Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'SOURCE: ' + `$_.Source }
    }
}
catch { 'SOURCE: ' + `$_.FullyQualifiedErrorId }
"@
        $lines = $result.Output -split '\r?\n'
        [pscustomobject]@{
            Source  = (@($lines | Where-Object { $_ -like 'SOURCE: *' })[-1]) -replace '^SOURCE: '
            Verbose = ($lines | Where-Object { $_ -like 'VERBOSE: *' }) -join "`n"
            Output  = $result.Output
        }
    }
}

AfterAll {
    Stop-FakeIca $Server
}

Describe 'The quick way to a kept token' {
    BeforeEach { Reset-FakeIca $Server }

    It 'a second pwsh takes the kept token without loading the profile, and sends no token request' {
        $path = New-ProfileFile
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        $second = Invoke-TokenInFreshProcess "-Profile kept -Path '$path'"
        $second.Source | Should -Be 'Kept'
        $second.Verbose | Should -Match $QuickLine
        $second.Verbose | Should -Not -Match 'Loading profile'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'an encrypted key swapped into the profile by hand never gets the old token' {
        $path = New-ProfileFile -Profiles kept
        Set-IcaConfig -Path $path -Profile other -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret 'pester-key-the-server-refuses')
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        $text = [IO.File]::ReadAllText($path)
        $keys = @([regex]::Matches($text, 'x-api-key: (.*)') | ForEach-Object { $_.Groups[1].Value })
        [IO.File]::WriteAllText($path, $text.Replace($keys[0], 'SWAP').Replace($keys[1], $keys[0]).Replace('SWAP', $keys[1]))

        $after = Invoke-TokenInFreshProcess "-Profile kept -Path '$path'"
        $after.Source | Should -BeLike 'IcaApiKeyRejected,*'
        $after.Verbose | Should -Match 'another server or API key'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It 'a server changed by hand in the profile file never gets the old server''s token' {
        $path = New-ProfileFile
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        $elsewhere = $Server.Url.Replace('127.0.0.1', 'localhost')
        [IO.File]::WriteAllText($path, [IO.File]::ReadAllText($path).Replace($Server.Url.TrimEnd('/'), $elsewhere.TrimEnd('/')))

        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
        # Now kept for the new server: the next process takes it the quick way.
        $next = Invoke-TokenInFreshProcess "-Profile kept -Path '$path'"
        $next.Source | Should -Be 'Kept'
        $next.Verbose | Should -Match $QuickLine
    }

    It 'a token kept for a -ServerUrl given with the profile is not taken without it' {
        $path = New-ProfileFile
        $elsewhere = $Server.Url.Replace('127.0.0.1', 'localhost')
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path' -ServerUrl '$elsewhere'").Source | Should -Be 'Minted'
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It 'a comment added by hand costs one full load, not a mint; then the quick way again' {
        $path = New-ProfileFile
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        [IO.File]::AppendAllText($path, "# added by hand`n")
        $full = Invoke-TokenInFreshProcess "-Profile kept -Path '$path'"
        $full.Source | Should -Be 'Kept'
        $full.Verbose | Should -Match 'profile file changed since'
        $full.Verbose | Should -Match 'Loading profile'
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Verbose | Should -Match $QuickLine
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'a tampered kept record is ignored, and the call mints and replaces it' {
        $path = New-ProfileFile
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Minted'
        $kept = Join-Path (Split-Path $path) 'profiles.yaml~kept.token'
        $envelope = [Convert]::FromBase64String([IO.File]::ReadAllText($kept).Trim())
        $envelope[[int]($envelope.Length / 2)] = $envelope[[int]($envelope.Length / 2)] -bxor 1
        [IO.File]::WriteAllText($kept, [Convert]::ToBase64String($envelope) + "`n")

        $after = Invoke-TokenInFreshProcess "-Profile kept -Path '$path'"
        $after.Source | Should -Be 'Minted'
        $after.Verbose | Should -Match 'changed since it was written'
        (Invoke-TokenInFreshProcess "-Profile kept -Path '$path'").Source | Should -Be 'Kept'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }

    It 'the precedence is unchanged: environment variables beat the implicit profile, -Profile beats them' {
        $path = New-ProfileFile -Profiles default
        $implicit = @{ ICAPOWERSHELL_CONFIG_PATH = $path }
        (Invoke-TokenInFreshProcess '' -Environment $implicit).Source | Should -Be 'Minted'
        (Invoke-TokenInFreshProcess '' -Environment $implicit).Source | Should -Be 'Kept'

        $withKey = $implicit + @{ ICAV2_X_API_KEY = 'pester-key-the-server-refuses'; ICAV2_SERVER_URL = $Server.Url }
        (Invoke-TokenInFreshProcess '' -Environment $withKey).Source | Should -BeLike 'IcaApiKeyRejected,*'
        (Invoke-TokenInFreshProcess "-Profile default -Path '$path'" -Environment $withKey).Source | Should -Be 'Kept'

        $jwt = Get-IcaToken -Profile default -Path $path -AsPlainText
        $withToken = $implicit + @{ ICAV2_ACCESS_TOKEN = $jwt; ICAV2_SERVER_URL = $Server.Url }
        (Invoke-TokenInFreshProcess '' -Environment $withToken).Source | Should -Be 'Environment'
        (Invoke-TokenInFreshProcess '' -Environment ($implicit + @{ ICAV2_PROFILE = 'missing' })).Source | Should -BeLike 'IcaProfileNotFound,*'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
    }
}
