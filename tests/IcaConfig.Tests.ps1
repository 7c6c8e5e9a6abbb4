#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Key = 'pester-key-' + [guid]::NewGuid().ToString('N')
}

Describe 'Set-IcaConfig, Get-IcaConfig, Reset-IcaConfig' {
    BeforeEach {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "profiles-$([guid]::NewGuid().ToString('N')).yaml"
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null
        $env:ICAV2_X_API_KEY = $null
        $env:ICAV2_PROFILE = $null
    }

    AfterAll {
        $env:ICAPOWERSHELL_CONFIG_PATH = $null
        $env:ICAV2_X_API_KEY = $null
    }

    It 'creates a profile whose key is stored encrypted and shown masked' {
        $config = Set-IcaConfig -Profile dev -ServerUrl ica.example.org -ApiKey (ConvertTo-TestSecret $Key) -OutputFormat json -PassThru
        $config.Profile | Should -Be 'dev'
        $config.ServerUrl | Should -Be 'ica.example.org'
        $config.OutputFormat | Should -Be 'json'
        $config.ApiKey | Should -Be '********'
        $config.PSObject.TypeNames | Should -Contain 'IcaPowerShell.Core.Configuration.IcaConfig'
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Not -Match $Key
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Match 'x-api-key: !!binary '
    }

    It 'changes only the parameters that are bound' {
        Set-IcaConfig -Profile dev -ApiKey (ConvertTo-TestSecret $Key) -ColorMode dark
        Set-IcaConfig -Profile dev -OutputFormat yaml
        $config = Get-IcaConfig -Profile dev
        $config.ColorMode | Should -Be 'dark'
        $config.OutputFormat | Should -Be 'yaml'
        $config.HasApiKey | Should -BeTrue
    }

    It 'does nothing with -WhatIf' {
        Set-IcaConfig -Profile dev -ApiKey (ConvertTo-TestSecret $Key) -WhatIf
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'lists profiles with wildcards and -ListAvailable' {
        'a1', 'a2', 'b1' | ForEach-Object { Set-IcaConfig -Profile $_ -ApiKey (ConvertTo-TestSecret $Key) }
        (Get-IcaConfig -Profile 'a*').Profile | Should -Be @('a1', 'a2')
        (Get-IcaConfig -ListAvailable).Count | Should -Be 3
    }

    It 'completes -Profile with the stored names' {
        'alpha', 'beta' | ForEach-Object { Set-IcaConfig -Profile $_ -ApiKey (ConvertTo-TestSecret $Key) }
        $line = 'Get-IcaToken -Profile al'
        $completions = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completions.CompletionMatches.CompletionText | Should -Be @('alpha')
    }

    It 'reports a missing profile with a stable error id' {
        { Get-IcaConfig -Profile nope -ErrorAction Stop } | Should -Throw -ErrorId 'IcaProfileNotFound'
    }

    It 'refuses a profile name with path characters' {
        { Set-IcaConfig -Profile '../x' -ApiKey (ConvertTo-TestSecret $Key) } | Should -Throw -ErrorId 'IcaInvalidProfileName'
    }

    It 'refuses plain http to a remote host' {
        { Set-IcaConfig -ServerUrl 'http://ica.example.org' -ApiKey (ConvertTo-TestSecret $Key) } | Should -Throw -ErrorId 'IcaInsecureServer'
    }

    It 'refuses an unknown output format before touching the file' {
        { Set-IcaConfig -OutputFormat xml } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IcaPowerShell.Commands.SetIcaConfigCommand'
    }

    It 'leaves a file it cannot parse untouched and names it' {
        Set-Content -Path $env:ICAPOWERSHELL_CONFIG_PATH -Value "profiles: [broken"
        $before = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        { Set-IcaConfig -ApiKey (ConvertTo-TestSecret $Key) } | Should -Throw -ErrorId 'IcaConfigFileInvalid'
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Be $before
    }

    It 'never prompts in a non-interactive session and names -ApiKey' {
        $result = Invoke-FreshPowerShell "`$env:ICAPOWERSHELL_CONFIG_PATH = '$env:ICAPOWERSHELL_CONFIG_PATH'; Import-Module '$ModuleManifest'; try { Set-IcaConfig -Profile ci -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $result.Output | Should -Match 'IcaApiKeyRequired'
        $result.Output | Should -Match '-ApiKey'
        $result.Output | Should -Match 'ICAV2_X_API_KEY'
    }

    It 'stores the key from ICAV2_X_API_KEY when no -ApiKey is given' {
        $env:ICAV2_X_API_KEY = $Key
        Set-IcaConfig -Profile fromenv -ServerUrl ica.example.org
        (Get-IcaConfig -Profile fromenv).HasApiKey | Should -BeTrue
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Not -Match $Key
    }

    It 'removes a profile only when confirmed, and keeps it with -WhatIf' {
        Set-IcaConfig -Profile gone -ApiKey (ConvertTo-TestSecret $Key)
        Reset-IcaConfig -Profile gone -WhatIf
        Get-IcaConfig -Profile gone | Should -Not -BeNullOrEmpty
        Reset-IcaConfig -Profile gone -Confirm:$false
        { Get-IcaConfig -Profile gone -ErrorAction Stop } | Should -Throw -ErrorId 'IcaProfileNotFound'
    }

    It 'removes everything with -All -Force' {
        Set-IcaConfig -Profile one -ApiKey (ConvertTo-TestSecret $Key)
        Reset-IcaConfig -All -Force
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'restricts the file to the current user' -Skip:($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
        Set-IcaConfig -ApiKey (ConvertTo-TestSecret $Key)
        (Get-Item $env:ICAPOWERSHELL_CONFIG_PATH).UnixMode | Should -Be '-rw-------'
    }

    It 'gives the file a protected ACL for the current user on Windows' -Skip:(-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
        Set-IcaConfig -ApiKey (ConvertTo-TestSecret $Key)
        $acl = Get-Acl $env:ICAPOWERSHELL_CONFIG_PATH
        $acl.AreAccessRulesProtected | Should -BeTrue
        $acl.Access.IdentityReference.Value | Should -Be @([Security.Principal.WindowsIdentity]::GetCurrent().Name)
    }
}
