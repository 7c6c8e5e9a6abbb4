#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Help as Get-Help shows it, examples that parse and use real parameters, completion, the manifest.

BeforeDiscovery {
    $script:Cmdlets = @('Set-IcaConfig', 'Get-IcaConfig', 'Reset-IcaConfig', 'Get-IcaToken') | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis, a description and examples' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match ([regex]::Escape("$Name "))
        ($Help.Description | Out-String).Trim().Length | Should -BeGreaterThan 40
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter the cmdlet has' {
        $common = [Management.Automation.Cmdlet]::CommonParameters + [Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $described = $Help.Parameters.Parameter | Where-Object Name -EQ $parameter
            ($described.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter"
        }
    }

    It 'has examples that parse and use only parameters of the commands they call' {
        foreach ($example in $Help.Examples.Example) {
            $errors = $null
            $ast = [Management.Automation.Language.Parser]::ParseInput($example.Code, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because $example.Code
            $calls = $ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] }, $true) |
                Where-Object { $_.GetCommandName() -like '*-Ica*' }
            foreach ($call in $calls) {
                $known = (Get-Command $call.GetCommandName()).Parameters.Keys
                foreach ($used in $call.CommandElements | Where-Object { $_ -is [Management.Automation.Language.CommandParameterAst] }) {
                    $matching = @($known | Where-Object { $_ -like "$($used.ParameterName)*" })
                    $matching.Count | Should -BeGreaterThan 0 -Because "-$($used.ParameterName) in: $($example.Code)"
                }
            }
        }
    }
}

Describe 'Module surface' {
    It 'exports exactly the documented cmdlets from a manifest for both editions' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $manifest.CmdletsToExport | Should -Be @('Set-IcaConfig', 'Get-IcaConfig', 'Reset-IcaConfig', 'Get-IcaToken', 'Invoke-IcaRestMethod', 'Get-IcaContext', 'Set-IcaContext', 'Clear-IcaContext')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
        (Get-Command -Module IcaPowerShell).Name | Sort-Object | Should -Be @('Clear-IcaContext', 'Get-IcaConfig', 'Get-IcaContext', 'Get-IcaToken', 'Invoke-IcaRestMethod', 'Reset-IcaConfig', 'Set-IcaConfig', 'Set-IcaContext')
    }

    It 'has the about topic' {
        (Get-Help about_IcaPowerShell | Out-String) | Should -Match 'ICAV2_X_API_KEY'
    }

    It 'declares ShouldProcess where it changes files, with the documented impact' {
        (Get-Command Set-IcaConfig).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command Reset-IcaConfig).Parameters.Keys | Should -Contain 'Confirm'
        (Get-Command Get-IcaToken).Parameters.Keys | Should -Not -Contain 'WhatIf'
    }

    It 'takes secrets only as SecureString or PSCredential' {
        (Get-Command Set-IcaConfig).Parameters['ApiKey'].ParameterType | Should -Be ([securestring])
        (Get-Command Get-IcaToken).Parameters['ApiKey'].ParameterType | Should -Be ([securestring])
        (Get-Command Get-IcaToken).Parameters['Credential'].ParameterType | Should -Be ([pscredential])
        (Get-Command Get-IcaToken).Parameters['ProxyCredential'].ParameterType | Should -Be ([pscredential])
    }

    It 'completes -OutputFormat and -ColorMode from their allowed values' {
        $line = 'Set-IcaConfig -OutputFormat j'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('json')
    }

    It 'completes -Profile from the file named by -Path on the same line' {
        $path = Join-Path $TestDrive 'completion.yaml'
        Set-IcaConfig -Path $path -Profile gamma -ApiKey (ConvertTo-TestSecret 'pester-key-completion')
        $line = "Get-IcaConfig -Path '$path' -Profile g"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('gamma')
    }
}
