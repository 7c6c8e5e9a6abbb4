#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# One session per runspace: parallel blocks and thread jobs share the profile's kept token (one mint between
# them) and then each uses its own cache; with ICAPOWERSHELL_KEEP_TOKENS=0 each mints; a token travels by $using:.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive 'runspaces/profiles.yaml'
    Set-IcaConfig -Profile fake -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
}

AfterAll {
    Stop-FakeIca $Server
    Remove-Item Env:ICAPOWERSHELL_CONFIG_PATH -ErrorAction SilentlyContinue
}

Describe 'Sessions per runspace' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeEach { Reset-FakeIca $Server }

    It 'ForEach-Object -Parallel runspaces share one mint through the kept token, then each uses its own cache' {
        Clear-IcaContext -KeptToken
        $manifest = $ModuleManifest
        $sources = 1..4 | ForEach-Object -ThrottleLimit 4 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            [pscustomobject]@{ Runspace = [runspace]::DefaultRunspace.InstanceId; First = (Get-IcaToken -Profile fake).Source; Second = (Get-IcaToken -Profile fake).Source }
        }
        @($sources.Runspace | Sort-Object -Unique).Count | Should -Be 4
        @($sources.First | ForEach-Object ToString | Sort-Object) | Should -Be @('Kept', 'Kept', 'Kept', 'Minted')
        $sources.Second | Should -Be (@('Cache') * 4)
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'with $env:ICAPOWERSHELL_KEEP_TOKENS = 0 each parallel runspace mints its own' {
        $manifest = $ModuleManifest
        $env:ICAPOWERSHELL_KEEP_TOKENS = '0'
        try {
            # New runspaces: the pool's reused ones would answer from their own caches.
            $sources = 1..3 | ForEach-Object -ThrottleLimit 3 -UseNewRunspace -Parallel { Import-Module $using:manifest; (Get-IcaToken -Profile fake).Source }
        }
        finally { Remove-Item Env:ICAPOWERSHELL_KEEP_TOKENS }
        $sources | Should -Be (@('Minted') * 3)
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 3
    }

    It 'Start-ThreadJob jobs share one mint through the kept token' {
        Clear-IcaContext -KeptToken
        $manifest = $ModuleManifest
        $jobs = 1..3 | ForEach-Object { Start-ThreadJob { Import-Module $using:manifest; (Get-IcaToken -Profile fake).Source; (Get-IcaToken -Profile fake).Source } }
        $results = $jobs | Receive-Job -Wait -AutoRemoveJob
        @($results | Where-Object { $_ -eq 'Minted' }).Count | Should -Be 1
        @($results | Where-Object { $_ -eq 'Kept' }).Count | Should -Be 2
        @($results | Where-Object { $_ -eq 'Cache' }).Count | Should -Be 3
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'keeps the caller''s cache apart from the parallel runspaces' {
        Get-IcaToken -Profile fake -Force | Out-Null
        $manifest = $ModuleManifest
        $sources = 1..2 | ForEach-Object -Parallel { Import-Module $using:manifest; (Get-IcaToken -Profile fake).Source }
        $sources | Should -Be @('Kept', 'Kept')
        (Get-IcaToken -Profile fake).Source | Should -Be 'Cache'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }

    It 'an IcaToken passed with $using: calls the API in every parallel block without minting' {
        $token = Get-IcaToken -Profile fake -Force
        $url = $Server.Url
        $answers = 1..3 | ForEach-Object -Parallel {
            $t = $using:token
            # The fake is plain http on loopback, hence -AllowUnencryptedAuthentication; it checks the bearer.
            try { Invoke-RestMethod -Method Post -Uri "$using:url/ica/rest/api/tokens:refresh" -Authentication Bearer -Token $t.Token -AllowUnencryptedAuthentication -Headers @{ Accept = 'application/vnd.illumina.v3+json' } -NoProxy }
            catch { $_.ErrorDetails.Message | ConvertFrom-Json | Select-Object -ExpandProperty title }
        }
        # An API-key token is valid but cannot be refreshed: ICA_AUTH_004 proves the bearer was accepted.
        $answers | Should -Be (@('ICA_AUTH_004') * 3)
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
    }
}
