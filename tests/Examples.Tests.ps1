#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The scripts in docs/examples run as written, against the fake ICA server: the runbook as root
# with the real temp folder (/tmp) and as another user, the parallel script, and each step of the
# Azure DevOps pipeline. What only Azure provides is stood in for: Get-AutomationVariable, the
# $(Pipeline.Workspace) macro, and the PowerShell Gallery (Save-Module copies the built module).
# Windows PowerShell 5.1 is not on this machine: the scripts meant for it are checked for
# PowerShell 7-only syntax and parameters instead.

BeforeDiscovery {
    $script:OnUnixAsRoot = -not $IsWindows -and $PSVersionTable.PSEdition -ne 'Desktop' -and (id -u) -eq '0'
    $script:CanSwitchUser = $OnUnixAsRoot -and [bool](Get-Command setpriv -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    $script:Server = Start-FakeIca
    $script:Examples = Join-Path $RepoRoot 'docs/examples'

    function Get-AutomationStandIn {
        # Azure Automation's cmdlet, as a function that reads the test's variables.
        "function Get-AutomationVariable { param([string] `$Name) switch (`$Name) { 'IcaApiKey' { `$env:PESTER_FAKE_KEY } 'IcaServerUrl' { '$($Server.Url)' } } }"
    }

    function Get-PipelineSteps {
        # Each '- pwsh: |' or '- powershell: |' step of an Azure Pipelines file: its shell and script.
        param([string] $Path)
        $lines = Get-Content $Path
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^(\s*)- (pwsh|powershell): \|\s*$') {
                $indent = $Matches[1].Length + 4
                $shell = $Matches[2]
                $body = for ($j = $i + 1; $j -lt $lines.Count -and ($lines[$j].Trim() -eq '' -or ($lines[$j].Length - $lines[$j].TrimStart().Length) -ge $indent); $j++) {
                    if ($lines[$j].Length -ge $indent) { $lines[$j].Substring($indent) } else { '' }
                }
                [pscustomobject]@{ Shell = $shell; Script = ($body -join "`n") }
            }
        }
    }

    function Get-Ps7OnlyUse {
        # What Windows PowerShell 5.1 cannot run: PowerShell 7 syntax, and PowerShell 7-only
        # parameters of the web cmdlets and ForEach-Object.
        param([string] $Script)
        $ast = [Management.Automation.Language.Parser]::ParseInput($Script, [ref]$null, [ref]$null)
        $ast.FindAll({ param($n) $n -is [Management.Automation.Language.PipelineChainAst] -or $n -is [Management.Automation.Language.TernaryExpressionAst] -or
                ($n -is [Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') }, $true) | ForEach-Object { $_.Extent.Text }
        $newer = @{
            'Invoke-RestMethod' = 'Authentication', 'Token', 'SkipHttpErrorCheck', 'StatusCodeVariable', 'ResponseHeadersVariable', 'NoProxy', 'SslProtocol', 'Resume', 'Form', 'AllowUnencryptedAuthentication'
            'Invoke-WebRequest' = 'Authentication', 'Token', 'SkipHttpErrorCheck', 'NoProxy', 'SslProtocol', 'Resume', 'Form'
            'ForEach-Object'    = 'Parallel', 'ThrottleLimit'
        }
        foreach ($call in $ast.FindAll({ param($n) $n -is [Management.Automation.Language.CommandAst] }, $true)) {
            $names = $newer[$call.GetCommandName()]
            foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [Management.Automation.Language.CommandParameterAst] }) {
                if ($names | Where-Object { $_ -like "$($parameter.ParameterName)*" }) { "$($call.GetCommandName()) -$($parameter.ParameterName)" }
            }
        }
    }
}

AfterAll { Stop-FakeIca $Server }

Describe 'docs/examples/runbook.ps1' {
    It 'runs as written as root with the real temp folder, lists the projects, leaves nothing in /tmp, and /tmp keeps its mode' -Skip:(-not $OnUnixAsRoot) {
        $before = (Get-Item /tmp).UnixMode
        $left = @(Get-ChildItem -Force /tmp -Filter 'ica-*').Name
        $env:PESTER_FAKE_KEY = $Server.ApiKey
        try {
            $result = Invoke-FreshPowerShell @"
Remove-Item Env:TMPDIR -ErrorAction Ignore
Import-Module '$ModuleManifest'
$(Get-AutomationStandIn)
'temp=' + [IO.Path]::GetTempPath()
& '$Examples/runbook.ps1' | Format-Table | Out-String -Width 200
"@
        }
        finally { $env:PESTER_FAKE_KEY = $null }
        $result.Output | Should -Match 'temp=/tmp/'
        $result.Output | Should -Match 'project-00001'
        $result.Output | Should -Not -Match 'WARNING|Exception|IcaUnsafe'
        @(Get-ChildItem -Force /tmp -Filter 'ica-*').Name | Should -Be $left   # its folder went, lock files and all
        (Get-Item /tmp).UnixMode | Should -Be $before
        $before | Should -Be 'drwxrwxrwt'
    }

    It 'runs as written as another user (nobody) with the real /tmp, which keeps its mode' -Skip:(-not $CanSwitchUser) {
        $before = (Get-Item /tmp).UnixMode
        $result = Invoke-AsSecondUser -Environment @{ PESTER_FAKE_KEY = $Server.ApiKey } -Script @"
Import-Module '$ModuleManifest'
$(Get-AutomationStandIn)
'user=' + (id -un) + ' temp=' + [IO.Path]::GetTempPath()
& '$Examples/runbook.ps1' | Format-Table | Out-String -Width 200
"@
        $result.Output | Should -Match 'user=nobody temp=/tmp/'
        $result.Output | Should -Match 'project-00001'
        $result.Output | Should -Not -Match 'WARNING|Exception|IcaUnsafe'
        (Get-Item /tmp).UnixMode | Should -Be $before
    }

    It 'uses nothing Windows PowerShell 5.1 lacks' {
        Get-Ps7OnlyUse (Get-Content -Raw "$Examples/runbook.ps1") | Should -BeNullOrEmpty
    }
}

Describe 'docs/examples/parallel.ps1' {
    It 'runs as written in PowerShell 7 from a folder with project-ids.txt, one token per runspace' {
        $work = Join-Path $TestDrive 'parallel'
        New-Item -ItemType Directory $work | Out-Null
        'p00001', 'p00002', 'p00003' | Set-Content (Join-Path $work 'project-ids.txt')
        $env:PESTER_FAKE_KEY = $Server.ApiKey
        Reset-FakeIca $Server
        try {
            $result = Invoke-FreshPowerShell @"
`$env:PSModulePath = '$(Split-Path (Split-Path $ModuleManifest))' + [IO.Path]::PathSeparator + `$env:PSModulePath
`$env:ICAPOWERSHELL_CONFIG_PATH = '$work/profiles.yaml'
Import-Module IcaPowerShell
Set-IcaConfig -Profile default -ServerUrl '$($Server.Url)' -ApiKey (ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force)
Set-Location '$work'
& '$Examples/parallel.ps1' | Sort-Object id | Format-Table | Out-String -Width 200
"@
        }
        finally { $env:PESTER_FAKE_KEY = $null }
        $result.Output | Should -Match 'p00001\s+project-00001'
        $result.Output | Should -Match 'p00003\s+project-00003'
        (Get-FakeIcaStats $Server).ApiRequests | Should -Be 3
    }
}

Describe 'docs/examples/azure-pipelines.yml' {
    BeforeAll {
        $script:Steps = @(Get-PipelineSteps "$Examples/azure-pipelines.yml")
    }

    It 'has a pwsh step that gets the module and steps for PowerShell 7 and Windows PowerShell 5.1' {
        $Steps.Shell | Should -Be @('pwsh', 'pwsh', 'powershell')
    }

    It 'runs every step as written, in order, as an agent would (-NonInteractive, the key from a secret variable)' {
        $workspace = Join-Path $TestDrive 'workspace'
        New-Item -ItemType Directory $workspace | Out-Null
        # The PowerShell Gallery, standing in: Save-Module lays the built module out as the Gallery would.
        $gallery = "function Save-Module { param([string] `$Name, [string] `$Path, [switch] `$Force) `$target = Join-Path `$Path `"`$Name/0.1.0`"; New-Item -ItemType Directory -Force `$target | Out-Null; Copy-Item -Recurse -Force '$(Split-Path $ModuleManifest)/*' `$target }"
        $env:ICAV2_X_API_KEY = $Server.ApiKey
        $env:ICAV2_SERVER_URL = $Server.Url
        try {
            $outputs = foreach ($step in $Steps) {
                $script = $step.Script.Replace('$(Pipeline.Workspace)', $workspace)
                $result = Invoke-FreshPowerShell "`$ErrorActionPreference = 'Stop'; $gallery`n$script"
                $result.ExitCode | Should -Be 0 -Because $result.Output
                $result.Output
            }
        }
        finally { $env:ICAV2_X_API_KEY = $null; $env:ICAV2_SERVER_URL = $null }
        Test-Path "$workspace/modules/IcaPowerShell/0.1.0/IcaPowerShell.psd1" | Should -BeTrue
        $outputs[1] | Should -Match 'Token for tenant fake-tenant, valid until'
        $outputs[1] | Should -Match 'project-00001'
        $outputs[2] | Should -Match 'project-00001'
    }

    It 'uses nothing Windows PowerShell 5.1 lacks in its powershell step' {
        foreach ($step in $Steps | Where-Object Shell -EQ 'powershell') {
            Get-Ps7OnlyUse $step.Script | Should -BeNullOrEmpty
        }
    }

    It 'imports the module by path in every step that uses it, so both shells find the one saved copy' {
        foreach ($step in $Steps | Where-Object { $_.Script -match 'Ica' -and $_.Script -notmatch 'Save-Module' }) {
            $step.Script | Should -Match ([regex]::Escape("Import-Module '`$(Pipeline.Workspace)/modules/IcaPowerShell'"))
        }
        $Steps.Script | Should -Not -Match 'Install-Module'
    }
}

Describe 'The scripts check for PowerShell 7-only use' {
    It 'finds -Authentication, -Token, -Parallel, && and ?? where they are' {
        $found = Get-Ps7OnlyUse "Invoke-RestMethod -Uri x -Authentication Bearer -Token `$t; 1..2 | ForEach-Object -Parallel { `$_ }; a && b; `$x ?? 1"
        $found | Should -Contain 'Invoke-RestMethod -Authentication'
        $found | Should -Contain 'Invoke-RestMethod -Token'
        $found | Should -Contain 'ForEach-Object -Parallel'
        $found | Should -Contain 'a && b'
        $found | Should -Contain '$x ?? 1'
    }
}

Describe 'README''s usage lines' {
    BeforeAll {
        # Every ```powershell block of README, with the sentence before it.
        $script:Blocks = [regex]::Matches((Get-Content -Raw (Join-Path $RepoRoot 'README.md')), '(?ms)^([^\n]*)\n\n```powershell\n(.*?)\n```') |
            ForEach-Object { [pscustomobject]@{ Before = $_.Groups[1].Value; Code = $_.Groups[2].Value } }
        Import-Module $ModuleManifest -Force

        function Invoke-InTerminal {
            param([string] $Script, [object[]] $Steps, [string] $Folder)
            $spec = @{
                command = @($PowerShellCommand) + @('-NoProfile', '-Command', "Set-Location '$Folder'; `$env:ICAPOWERSHELL_CONFIG_PATH = '$Folder/profiles.yaml'; Import-Module '$ModuleManifest'; $Script")
                env     = @{ CI = $null; TF_BUILD = $null; GITHUB_ACTIONS = $null; AUTOMATION_ASSET_ACCOUNTID = $null; TERM = 'xterm' }
                steps   = $Steps
                timeout = 60
            } | ConvertTo-Json -Depth 5
            $screen = $spec | python3 (Join-Path $PSScriptRoot 'Support/pty_session.py')
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Screen = (($screen -join "`n") -replace '\x1b\[[0-9;?]*[A-Za-z=]', '') }
        }
    }

    It 'parse, and call the module''s cmdlets only with parameters they have' {
        $Blocks.Count | Should -BeGreaterThan 4
        foreach ($block in $Blocks) {
            $errors = $null
            $ast = [Management.Automation.Language.Parser]::ParseInput($block.Code, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because $block.Code
            foreach ($call in $ast.FindAll({ param($n) $n -is [Management.Automation.Language.CommandAst] -and $n.GetCommandName() -like '*-Ica*' }, $true)) {
                $known = (Get-Command $call.GetCommandName()).Parameters.Keys
                foreach ($used in $call.CommandElements | Where-Object { $_ -is [Management.Automation.Language.CommandParameterAst] }) {
                    @($known | Where-Object { $_ -like "$($used.ParameterName)*" }).Count | Should -BeGreaterThan 0 -Because "-$($used.ParameterName) in: $($block.Code)"
                }
            }
        }
    }

    It 'run as written at an interactive prompt: Set-IcaConfig asks, then Get-IcaConfig and Get-IcaToken' -Skip:($IsWindows -or -not (Get-Command python3 -ErrorAction Ignore)) {
        $code = ($Blocks | Where-Object Before -Match 'At an interactive prompt|Enter keeps the current key').Code
        $code | Should -Match '^Set-IcaConfig'
        $folder = Join-Path $TestDrive 'readme-prompt'
        New-Item -ItemType Directory $folder | Out-Null
        $result = Invoke-InTerminal -Folder $folder -Script ($code -replace "`n", '; ') -Steps @(
            @('server-url [ica.illumina.com]', "$($Server.Url)`r"),
            @('API key', "$($Server.ApiKey)`r"),
            @('output-format', "`r"),
            @('colormode', "`r"),
            @('Minted', '')
        )
        $result.ExitCode | Should -Be 0 -Because $result.Screen
        $result.Screen | Should -Match 'fake-tenant'
        $result.Screen | Should -Not -Match ([regex]::Escape($Server.ApiKey))
    }

    It 'run as written with parameters: create, change, list, reset after asking, and reset piped profiles of another file' -Skip:($IsWindows -or -not (Get-Command python3 -ErrorAction Ignore)) {
        $code = ($Blocks | Where-Object Before -Match 'only what you pass changes').Code
        $folder = Join-Path $TestDrive 'readme-parameters'
        New-Item -ItemType Directory $folder | Out-Null
        Set-IcaConfig -Path "$folder/ci.yaml" -Profile test-a -ApiKey (ConvertTo-TestSecret 'pester-key-readme-0001')
        Set-IcaConfig -Path "$folder/ci.yaml" -Profile keep -ApiKey (ConvertTo-TestSecret 'pester-key-readme-0001')
        $result = Invoke-InTerminal -Folder $folder -Script (($code -split "`n" | ForEach-Object { $_ -replace '\s+#.*$', '' }) -join '; ') -Steps @(
            @('API key', "pester-key-readme-0002`r"),
            @('[Y] Yes', "y`r", 1)
        )
        $result.ExitCode | Should -Be 0 -Because $result.Screen
        $result.Screen | Should -Match 'prod\s+ica\.illumina\.com\s+json\s+dark'
        (Get-IcaConfig -ListAvailable -Path "$folder/profiles.yaml") | Should -BeNullOrEmpty
        (Get-IcaConfig -ListAvailable -Path "$folder/ci.yaml").Profile | Should -Be @('keep')
    }
}
