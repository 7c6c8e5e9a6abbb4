#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-IcaToken against the fake ICA server: sources, precedence, cache, refresh, faults, retries.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
    $script:ServerSecret = ConvertTo-TestSecret $Server.ApiKey
    $script:Credential = [pscredential]::new($Server.UserName, (ConvertTo-TestSecret $Server.Password))

    function New-TestJwt {
        # An unsigned JWT with an exp claim, as ICAV2_ACCESS_TOKEN might hold.
        param([long] $Exp, [string] $Tenant = 'env-tenant')
        $encode = { param($json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $header = & $encode (ConvertTo-Json -Compress @{ alg = 'none' })
        $payload = & $encode (ConvertTo-Json -Compress @{ exp = $Exp; tns = $Tenant })
        "$header.$payload.sig"
    }
}

AfterAll {
    Stop-FakeIca $Server
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'ICAV2_ACCESS_TOKEN', 'ICAV2_PROFILE', 'ICAV2_ICA_NO_RETRY_RATE_LIMITING' |
        ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Get-IcaToken' {
    BeforeEach {
        Reset-FakeIca $Server
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "t-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'ICAV2_ACCESS_TOKEN', 'ICAV2_PROFILE', 'ICAV2_ICA_NO_RETRY_RATE_LIMITING' |
            ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
        Set-IcaConfig -Profile fake -ServerUrl $Server.Url -ApiKey $ServerSecret
    }

    Context 'cache' {
        It 'mints once, then answers from the cache' {
            $first = Get-IcaToken -Profile fake
            $second = Get-IcaToken -Profile fake
            $first.Source | Should -Be 'Minted'
            $second.Source | Should -Be 'Cache'
            $first.Token | Should -BeOfType [securestring]
            $first.Tenant | Should -Be 'fake-tenant'
            $first.ExpiresOn | Should -BeGreaterThan (Get-Date)
            $first.ExpiresOn.Kind | Should -Be 'Local'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'mints a new token with -Force' {
            Get-IcaToken -Profile fake | Out-Null
            (Get-IcaToken -Profile fake -Force).Source | Should -Be 'Minted'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 2
        }

        It 'notices a changed profile and mints with the new key' {
            Get-IcaToken -Profile fake | Out-Null
            Set-IcaConfig -Profile fake -ApiKey (ConvertTo-TestSecret 'rotated-key-0123456789')
            (Get-ErrorIdOf { Get-IcaToken -Profile fake }).FullyQualifiedErrorId | Should -BeLike 'IcaApiKeyRejected,*'
        }

        It 'writes the JWT as text only with -AsPlainText' {
            $jwt = Get-IcaToken -Profile fake -AsPlainText
            $jwt | Should -BeOfType [string]
            $jwt.Split('.').Count | Should -Be 3
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'shows a table without the token' {
            $jwt = Get-IcaToken -Profile fake -AsPlainText
            $table = Get-IcaToken -Profile fake | Out-String
            $table | Should -Match 'Profile\s+ServerUrl\s+Tenant\s+ExpiresOn\s+Source'
            $table | Should -Match 'fake-tenant'
            $table | Should -Not -Match ([regex]::Escape($jwt.Split('.')[1]))
        }

        It 'refreshes a Basic token before it expires instead of minting a new one' {
            Invoke-FakeIca $Server settings @{ tokenLifetimeSeconds = 3 } | Out-Null
            (Get-IcaToken -Credential $Credential -ServerUrl $Server.Url).Source | Should -Be 'Minted'
            # Renewal is due a tenth of the lifetime before exp; ask until it happens (bounded).
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do { $source = (Get-IcaToken -Credential $Credential -ServerUrl $Server.Url).Source } while ($source -eq 'Cache' -and [DateTime]::UtcNow -lt $deadline)
            $source | Should -Be 'Refreshed'
            (Get-FakeIcaStats $Server).RefreshRequests | Should -Be 1
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }
    }

    Context 'sources and their precedence' {
        It 'mints with -ApiKey and -ServerUrl, no profile' {
            $token = Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url
            $token.Profile | Should -BeNullOrEmpty
            $token.Source | Should -Be 'Minted'
        }

        It 'mints with -Credential and -Tenant (Basic authentication)' {
            $token = Get-IcaToken -Credential $Credential -Tenant fake-tenant -ServerUrl $Server.Url
            $token.Tenant | Should -Be 'fake-tenant'
            $failure = Get-ErrorIdOf { Get-IcaToken -Credential $Credential -Tenant other-tenant -ServerUrl $Server.Url -Force }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaCredentialRejected,*'
            $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }

        It 'prefers -ApiKey over every variable and the profile' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt -Exp ([DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds())
            $env:ICAV2_X_API_KEY = 'wrong-key-from-the-environment'
            $token = Get-IcaToken -ApiKey $ServerSecret -ServerUrl $Server.Url
            $token.Source | Should -BeIn 'Minted', 'Cache'
            $token.Tenant | Should -Be 'fake-tenant'
        }

        It 'prefers ICAV2_ACCESS_TOKEN over ICAV2_X_API_KEY and the default profile, and sends nothing' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt -Exp ([DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds())
            $env:ICAV2_X_API_KEY = 'wrong-key-from-the-environment'
            $env:ICAV2_PROFILE = 'fake'
            $token = Get-IcaToken
            $token.Source | Should -Be 'Environment'
            $token.Tenant | Should -Be 'env-tenant'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }

        It 'refuses an expired ICAV2_ACCESS_TOKEN' {
            $env:ICAV2_ACCESS_TOKEN = New-TestJwt -Exp 1000
            (Get-ErrorIdOf { Get-IcaToken }).FullyQualifiedErrorId | Should -BeLike 'IcaEnvironmentTokenExpired,*'
        }

        It 'refuses an ICAV2_ACCESS_TOKEN that is not a JWT' {
            $env:ICAV2_ACCESS_TOKEN = 'not-a-jwt'
            (Get-ErrorIdOf { Get-IcaToken }).FullyQualifiedErrorId | Should -BeLike 'IcaEnvironmentTokenInvalid,*'
        }

        It 'uses ICAV2_X_API_KEY and ICAV2_SERVER_URL before the default profile, as an Azure DevOps step would' {
            $env:ICAV2_X_API_KEY = $Server.ApiKey
            $env:ICAV2_SERVER_URL = $Server.Url
            $env:ICAV2_PROFILE = 'missing'
            $token = Get-IcaToken
            $token.ServerUrl | Should -Be $Server.Url
            $token.Profile | Should -BeNullOrEmpty
        }

        It 'uses the profile named by ICAV2_PROFILE, else default' {
            $env:ICAV2_PROFILE = 'fake'
            (Get-IcaToken).Profile | Should -Be 'fake'
            $env:ICAV2_PROFILE = $null
            (Get-ErrorIdOf { Get-IcaToken }).TargetObject | Should -Be 'default'
        }

        It 'reports a missing profile and how to create it, with no fallback to another' {
            $failure = Get-ErrorIdOf { Get-IcaToken -Profile nosuch }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaProfileNotFound,*'
            $failure.Exception.Message | Should -Match 'Set-IcaConfig -Profile nosuch'
        }

        It 'rejects a wrong key with advice and without the key' {
            $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
            $failure = Get-ErrorIdOf { Get-IcaToken -ApiKey (ConvertTo-TestSecret $wrong) -ServerUrl $Server.Url }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaApiKeyRejected,*'
            $failure.Exception.Message | Should -Not -Match $wrong
            $failure.Exception.Message | Should -Match 'Set-IcaConfig'
            $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }
    }

    Context 'faults, retries and ICAV2_ICA_NO_RETRY_RATE_LIMITING' {
        It 'a <Fault> answer is <Id>, after one request when retries are off' -ForEach @(
            @{ Fault = 'Unauthorized'; Id = 'IcaApiKeyRejected'; Category = 'AuthenticationError' }
            @{ Fault = 'Forbidden'; Id = 'IcaAccessDenied'; Category = 'PermissionDenied' }
            @{ Fault = 'TooManyRequests'; Id = 'IcaRateLimited'; Category = 'ResourceUnavailable' }
            @{ Fault = 'InternalServerError'; Id = 'IcaServerError'; Category = 'ResourceUnavailable' }
            @{ Fault = 'ServiceUnavailable'; Id = 'IcaServerError'; Category = 'ResourceUnavailable' }
            @{ Fault = 'TruncatedJson'; Id = 'IcaInvalidResponse'; Category = 'ProtocolError' }
            @{ Fault = 'HtmlPage'; Id = 'IcaInvalidResponse'; Category = 'ProtocolError' }
            @{ Fault = 'NotAJwt'; Id = 'IcaInvalidResponse'; Category = 'ProtocolError' }
            @{ Fault = 'ConnectionReset'; Id = 'IcaConnectionFailed'; Category = 'ConnectionError' }
        ) {
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
            Add-FakeIcaFault $Server $Fault
            $failure = Get-ErrorIdOf { Get-IcaToken -Profile fake }
            $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $failure.CategoryInfo.Category | Should -Be $Category
            $failure.Exception.Message | Should -Not -Match '   at '
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'retries a 429 with Retry-After and a 503, then succeeds' {
            Add-FakeIcaFault $Server TooManyRequests -RetryAfterSeconds 0
            Add-FakeIcaFault $Server ServiceUnavailable
            $verbose = Get-IcaToken -Profile fake -Verbose 4>&1
            ($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'Retrying POST'
            ($verbose | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).Source | Should -Be 'Minted'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 3
        }

        It 'does not retry at all with $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = <Value>' -ForEach @(@{ Value = '1' }, @{ Value = 'true' }) {
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = $Value
            Add-FakeIcaFault $Server TooManyRequests -RetryAfterSeconds 0
            (Get-ErrorIdOf { Get-IcaToken -Profile fake }).FullyQualifiedErrorId | Should -BeLike 'IcaRateLimited,*'
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1
        }

        It 'keeps a still-valid cached token when a renewal fails' {
            Invoke-FakeIca $Server settings @{ tokenLifetimeSeconds = 3 } | Out-Null
            Get-IcaToken -Profile fake | Out-Null
            Invoke-FakeIca $Server settings @{ standingFault = @{ kind = 'InternalServerError' } } | Out-Null
            $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING = '1'
            $failure = Get-ErrorIdOf { Get-IcaToken -Profile fake -Force }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaServerError,*'
        }
    }

    Context 'Set-IcaConfig -Validate' {
        It 'mints with the new key before saving, and saves nothing when ICA refuses it' {
            $path = Join-Path $TestDrive "v-$([guid]::NewGuid().ToString('N')).yaml"
            (Get-ErrorIdOf { Set-IcaConfig -Path $path -Profile v -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret 'refused-key-0123456789') -Validate }).FullyQualifiedErrorId |
                Should -BeLike 'IcaApiKeyRejected,*'
            Test-Path $path | Should -BeFalse
            Set-IcaConfig -Path $path -Profile v -ServerUrl $Server.Url -ApiKey $ServerSecret -Validate
            (Get-IcaConfig -Path $path -Profile v).HasApiKey | Should -BeTrue
        }

        It 'sends nothing with -WhatIf -Validate' {
            Reset-FakeIca $Server
            Set-IcaConfig -Profile fake -ApiKey $ServerSecret -Validate -WhatIf
            (Get-FakeIcaStats $Server).TokenRequests | Should -Be 0
        }
    }
}
