#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Help as Get-Help shows it, examples that parse and use real parameters, completion, the manifest.

BeforeDiscovery {
    # Every exported cmdlet, read from the manifest: a sixth one cannot go unchecked.
    $manifest = Import-PowerShellDataFile (Join-Path (Split-Path -Parent $PSScriptRoot) 'IcaPowerShell.psd1')
    $script:Cmdlets = $manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } }
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

    It 'describes -First, -Skip and -IncludeTotalCount when the cmdlet supports paging' {
        $paging = $Command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0].SupportsPaging
        foreach ($parameter in 'First', 'Skip', 'IncludeTotalCount') {
            if ($paging) {
                (Get-Help $Name -Parameter $parameter -ErrorAction SilentlyContinue).description.Text | Should -Not -BeNullOrEmpty -Because "-$parameter"
            }
            else {
                $Command.Parameters.Keys | Should -Not -Contain $parameter
            }
        }
    }

    It 'says under INPUTS exactly what its pipeline attributes take' {
        $inputs = ($Help.inputTypes | Out-String)
        $byValue = @($Command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline } })
        $byName = @($Command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName } })
        foreach ($parameter in $byValue) { $inputs | Should -Match "Values for -$($parameter.Name) can be piped" }
        foreach ($parameter in $byName) { $inputs | Should -Match "\b$($parameter.Name)\b" }
        if ($byValue.Count + $byName.Count -eq 0) { $inputs | Should -Match 'Nothing can be piped' }
        else { $inputs | Should -Not -Match 'None' }
    }

    It 'explains every example in words' {
        foreach ($example in $Help.Examples.Example) {
            ($example.remarks | Out-String).Trim().Length | Should -BeGreaterThan 20 -Because $example.title
        }
    }

    It 'uses no variable that exists only on Windows ($env:TEMP, $env:USERPROFILE, ...) in its examples' {
        foreach ($example in $Help.Examples.Example) {
            $example.code | Should -Not -Match '\$env:(TEMP|TMP|USERPROFILE|APPDATA|LOCALAPPDATA|COMPUTERNAME|USERNAME|ProgramFiles|windir|SystemRoot)\b' -Because $example.code
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
