#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca
}

AfterAll {
    Stop-FakeIca $script:Server
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_X_API_KEY', 'ICAV2_SERVER_URL', 'ICAV2_ACCESS_TOKEN' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Get-IcaToken against the fake ICA server' {
    BeforeEach {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "profiles-$([guid]::NewGuid().ToString('N')).yaml"
        $env:ICAV2_X_API_KEY = $null
        $env:ICAV2_SERVER_URL = $null
        $env:ICAV2_ACCESS_TOKEN = $null
        Set-IcaConfig -Profile fake -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
    }

    It 'mints once, then answers from the cache' {
        $first = Get-IcaToken -Profile fake
        $second = Get-IcaToken -Profile fake
        $first.Source | Should -Be 'Minted'
        $second.Source | Should -Be 'Cache'
        $first.Token | Should -BeOfType [securestring]
        $first.Tenant | Should -Be 'fake-tenant'
        $first.ExpiresOn | Should -BeGreaterThan ([DateTime]::UtcNow)
    }

    It 'mints a new token with -Force' {
        Get-IcaToken -Profile fake | Out-Null
        (Get-IcaToken -Profile fake -Force).Source | Should -Be 'Minted'
    }

    It 'writes the JWT as text only with -AsPlainText' {
        $jwt = Get-IcaToken -Profile fake -AsPlainText
        $jwt | Should -BeOfType [string]
        $jwt.Split('.').Count | Should -Be 3
    }

    It 'never shows the token in its table view' {
        $jwt = Get-IcaToken -Profile fake -AsPlainText
        $table = Get-IcaToken -Profile fake | Format-Table | Out-String
        $table | Should -Not -Match ([regex]::Escape($jwt))
        $table | Should -Match 'fake-tenant'
    }

    It 'mints with -ApiKey and no profile' {
        $token = Get-IcaToken -ApiKey (ConvertTo-TestSecret $Server.ApiKey) -ServerUrl $Server.Url
        $token.Profile | Should -BeNullOrEmpty
        $token.Source | Should -Be 'Minted'
    }

    It 'uses ICAV2_X_API_KEY and ICAV2_SERVER_URL, as an Azure DevOps step would' {
        $env:ICAV2_X_API_KEY = $Server.ApiKey
        $env:ICAV2_SERVER_URL = $Server.Url
        (Get-IcaToken -Profile missing).ServerUrl | Should -Be $Server.Url
    }

    It 'rejects a wrong key with advice and without the key' {
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $failure = { Get-IcaToken -ApiKey (ConvertTo-TestSecret $wrong) -ServerUrl $Server.Url } | Should -Throw -ErrorId 'IcaApiKeyRejected,*' -PassThru
        $failure.Exception.Message | Should -Not -Match $wrong
        $failure.Exception.Message | Should -Match 'Set-IcaConfig'
        $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'reports a missing profile and how to create it' {
        { Get-IcaToken -Profile nosuch } | Should -Throw -ErrorId 'IcaProfileNotFound,*'
    }

    It 'refuses an expired ICAV2_ACCESS_TOKEN' {
        $header = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"alg":"none"}')).TrimEnd('=')
        $payload = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"exp":1000}')).TrimEnd('=')
        $env:ICAV2_ACCESS_TOKEN = "$header.$payload.sig"
        { Get-IcaToken } | Should -Throw -ErrorId 'IcaEnvironmentTokenExpired,*'
    }

    It 'keeps one cache per runspace' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $manifest = $ModuleManifest
        $path = $env:ICAPOWERSHELL_CONFIG_PATH
        $sources = 1..2 | ForEach-Object -Parallel {
            $env:ICAPOWERSHELL_CONFIG_PATH = $using:path
            Import-Module $using:manifest
            (Get-IcaToken -Profile fake).Source
            (Get-IcaToken -Profile fake).Source
        }
        ($sources | Where-Object { $_ -eq 'Minted' }).Count | Should -Be 2
        ($sources | Where-Object { $_ -eq 'Cache' }).Count | Should -Be 2
    }

    It 'loads beside another YamlDotNet in a fresh process' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $yaml = Get-Item $env:ICAPOWERSHELL_TEST_OTHER_YAMLDOTNET
        $script = @"
Add-Type -Path '$($yaml.FullName)'
Import-Module '$ModuleManifest'
`$token = Get-IcaToken -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force) -ServerUrl '$($Server.Url)'
'source=' + `$token.Source
"@
        $result = Invoke-FreshPowerShell $script
        $result.Output | Should -Match 'source=Minted'
        $result.ExitCode | Should -Be 0
    }
}
