#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Set-IcaConfig, Get-IcaConfig and Reset-IcaConfig as a user runs them: profiles in $TestDrive.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Key = 'pester-key-' + [guid]::NewGuid().ToString('N')
    $script:Secret = ConvertTo-TestSecret $Key
}

AfterAll {
    'ICAPOWERSHELL_CONFIG_PATH', 'ICAV2_X_API_KEY', 'ICAV2_PROFILE', 'ICAPOWERSHELL_ENCRYPTION_KEY' | ForEach-Object { Remove-Item "Env:$_" -ErrorAction SilentlyContinue }
}

Describe 'Set-IcaConfig, Get-IcaConfig, Reset-IcaConfig' {
    BeforeEach {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "p-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null
        $env:ICAV2_X_API_KEY = $null
        $env:ICAV2_PROFILE = $null
    }

    It 'creates a profile whose key is stored encrypted and shown masked' {
        $config = Set-IcaConfig -Profile dev -ServerUrl ica.example.org -ApiKey $Secret -OutputFormat json -PassThru
        $config.Profile | Should -Be 'dev'
        $config.ServerUrl | Should -Be 'ica.example.org'
        $config.OutputFormat | Should -Be 'json'
        $config.ApiKey | Should -Be '********'
        $config.PSObject.TypeNames | Should -Contain 'IcaPowerShell.Core.Configuration.IcaConfig'
        $text = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        $text | Should -Not -Match $Key
        $text | Should -Match 'x-api-key: !!binary '
    }

    It 'writes nothing without -PassThru' {
        Set-IcaConfig -Profile dev -ApiKey $Secret | Should -BeNullOrEmpty
    }

    It 'changes only the parameters that are bound' {
        Set-IcaConfig -Profile dev -ServerUrl ica.example.org -ApiKey $Secret -ColorMode dark
        $keyBefore = (Get-Content $env:ICAPOWERSHELL_CONFIG_PATH | Select-String 'x-api-key').Line
        Set-IcaConfig -Profile dev -OutputFormat yaml
        $config = Get-IcaConfig -Profile dev
        $config.ColorMode | Should -Be 'dark'
        $config.OutputFormat | Should -Be 'yaml'
        $config.ServerUrl | Should -Be 'ica.example.org'
        (Get-Content $env:ICAPOWERSHELL_CONFIG_PATH | Select-String 'x-api-key').Line | Should -Be $keyBefore
    }

    It 'keeps keys it does not know when it rewrites the file' {
        New-Item -ItemType Directory -Force (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) | Out-Null
        Set-Content -Path $env:ICAPOWERSHELL_CONFIG_PATH -Value "team-note: keep me`nprofiles:`n  dev:`n    colormode: none`n    project-id: p-42`n"
        Set-IcaConfig -Profile dev -ApiKey $Secret
        $text = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        $text | Should -Match 'team-note: keep me'
        $text | Should -Match 'project-id: p-42'
    }

    It 'leaves the file byte-identical with -WhatIf' {
        Set-IcaConfig -Profile dev -ApiKey $Secret
        $before = [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH)
        Set-IcaConfig -Profile dev -ColorMode light -WhatIf
        Set-IcaConfig -Profile other -ApiKey $Secret -WhatIf
        [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH) | Should -Be $before
    }

    It 'creates no file with -WhatIf' {
        Set-IcaConfig -Profile dev -ApiKey $Secret -WhatIf
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'asks with -Confirm and changes nothing when the answer is no' {
        Set-IcaConfig -Profile dev -ApiKey $Secret
        $before = [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH)
        # The fresh process has a real host; 'N' answered on standard input declines.
        $result = Invoke-FreshPowerShell -Interactive @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$env:ICAPOWERSHELL_CONFIG_PATH'
Import-Module '$ModuleManifest'
`$ConfirmPreference = 'Low'
Set-IcaConfig -Profile dev -ColorMode dark -Confirm
'after-confirm'
"@ -InputText 'N'
        $result.Output | Should -Match 'Confirm'
        $result.Output | Should -Match 'after-confirm'
        [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH) | Should -Be $before
    }

    It 'lists profiles with wildcards and -ListAvailable' {
        'a1', 'a2', 'b1' | ForEach-Object { Set-IcaConfig -Profile $_ -ApiKey $Secret }
        (Get-IcaConfig -Profile 'a*').Profile | Should -Be @('a1', 'a2')
        (Get-IcaConfig -ListAvailable).Profile | Should -Be @('a1', 'a2', 'b1')
        Get-IcaConfig -Profile 'z*' | Should -BeNullOrEmpty
    }

    It 'uses ICAV2_PROFILE when -Profile is not given' {
        $env:ICAV2_PROFILE = 'fromenv'
        Set-IcaConfig -ApiKey $Secret -ColorMode light
        (Get-IcaConfig -Profile fromenv).ColorMode | Should -Be 'light'
        (Get-IcaConfig).Profile | Should -Be 'fromenv'
    }

    It 'shows profiles in a table without the key' {
        Set-IcaConfig -Profile dev -ServerUrl ica.example.org -ApiKey $Secret
        $table = Get-IcaConfig -ListAvailable | Out-String
        $table | Should -Match 'Profile\s+ServerUrl'
        $table | Should -Match 'dev\s+ica.example.org'
        $table | Should -Match '\*{8}'
    }

    It 'completes -Profile with the stored names on every cmdlet' {
        'alpha', 'beta' | ForEach-Object { Set-IcaConfig -Profile $_ -ApiKey $Secret }
        foreach ($command in 'Get-IcaToken', 'Get-IcaConfig', 'Set-IcaConfig', 'Reset-IcaConfig') {
            $line = "$command -Profile al"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('alpha')
        }
    }

    It 'stores the key from ICAV2_X_API_KEY when no -ApiKey is given, and says so' {
        $env:ICAV2_X_API_KEY = $Key
        $verbose = Set-IcaConfig -Profile fromenv -ServerUrl ica.example.org -Verbose 4>&1
        ($verbose | Out-String) | Should -Match 'ICAV2_X_API_KEY'
        (Get-IcaConfig -Profile fromenv).HasApiKey | Should -BeTrue
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Not -Match $Key
    }

    It 'says in the verbose stream that it created the key file' {
        $verbose = Set-IcaConfig -Profile dev -ApiKey $Secret -Verbose 4>&1 | Out-String
        $verbose | Should -Match 'Created the encryption key file'
        $verbose | Should -Match ([regex]::Escape('profiles.key'))
        $again = Set-IcaConfig -Profile dev2 -ApiKey $Secret -Verbose 4>&1 | Out-String
        $again | Should -Not -Match 'Created the encryption key file'
    }

    It 'removes a profile only when confirmed, and keeps it with -WhatIf' {
        Set-IcaConfig -Profile gone -ApiKey $Secret
        Set-IcaConfig -Profile stays -ApiKey $Secret
        Reset-IcaConfig -Profile gone -WhatIf
        Get-IcaConfig -Profile gone | Should -Not -BeNullOrEmpty
        Reset-IcaConfig -Profile gone -Confirm:$false
        { Get-IcaConfig -Profile gone -ErrorAction Stop } | Should -Throw -ErrorId 'IcaProfileNotFound,*'
        (Get-IcaConfig -ListAvailable).Profile | Should -Be @('stays')
    }

    It 'removes everything with -All -Force, the key file too' {
        Set-IcaConfig -Profile one -ApiKey $Secret
        $keyFile = Join-Path (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) 'profiles.key'
        Test-Path $keyFile | Should -BeTrue
        Reset-IcaConfig -All -Force
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
        Test-Path $keyFile | Should -BeFalse
    }

    It 'reports an IO failure with a stable id and no stack trace' {
        # A file name longer than the file system allows: the operating system refuses it at once.
        $tooLong = Join-Path $TestDrive (('x' * 300) + '.yaml')
        foreach ($attempt in { Reset-IcaConfig -All -Force -Path $tooLong }, { Set-IcaConfig -Path $tooLong -ApiKey $Secret }) {
            $failure = Get-ErrorIdOf $attempt
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaFileAccessFailed,*'
            $failure.Exception.Message | Should -Not -Match '   at '
        }
    }

    It 'resolves -Path from the current location, ~ and PSDrives, as PowerShell''s file cmdlets do' {
        $folder = Join-Path $TestDrive "loc-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $folder | Out-Null
        Push-Location $folder
        try {
            Set-IcaConfig -Path ./relative.yaml -Profile dev -ApiKey $Secret
            Test-Path (Join-Path $folder 'relative.yaml') | Should -BeTrue
            New-PSDrive -Name IcaTest -PSProvider FileSystem -Root $folder | Out-Null
            Set-IcaConfig -Path IcaTest:/drive.yaml -Profile dev -ApiKey $Secret
            Test-Path (Join-Path $folder 'drive.yaml') | Should -BeTrue
            (Get-IcaConfig -Path IcaTest:/drive.yaml -Profile dev).Path | Should -Be (Join-Path $folder 'drive.yaml')
        }
        finally {
            Pop-Location
            Remove-PSDrive IcaTest -ErrorAction SilentlyContinue
        }
    }

    It 'expands ~ in -Path to the home folder' {
        $name = "icapowershell-test-$([guid]::NewGuid().ToString('N')).yaml"
        try {
            $failure = Get-ErrorIdOf { Get-IcaConfig -Path "~/$name" -Profile dev }
            $failure.Exception.Message | Should -Match ([regex]::Escape((Join-Path $HOME $name)))
        }
        finally { Remove-Item -Force -ErrorAction SilentlyContinue (Join-Path $HOME $name) }
    }

    It 'refuses a -Path on a provider that is not the file system' {
        (Get-ErrorIdOf { Get-IcaConfig -Path Env:/ICAV2_PROFILE }).FullyQualifiedErrorId | Should -BeLike 'IcaConfigFolderUnavailable,*'
    }

    It 'restricts the file to the current user' -Skip:($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
        Set-IcaConfig -ApiKey $Secret
        (Get-Item $env:ICAPOWERSHELL_CONFIG_PATH).UnixMode | Should -Be '-rw-------'
        (Get-Item (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH)).UnixMode | Should -Be 'drwx------'
    }

    It 'gives the file a protected ACL for the current user on Windows' -Skip:(-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
        Set-IcaConfig -ApiKey $Secret
        $acl = Get-Acl $env:ICAPOWERSHELL_CONFIG_PATH
        $acl.AreAccessRulesProtected | Should -BeTrue
        $acl.Access.IdentityReference.Value | Should -Be @([Security.Principal.WindowsIdentity]::GetCurrent().Name)
    }
}

Describe 'A project stored in a profile: Set-IcaConfig -ProjectId and -ClearProjectId' {
    BeforeEach {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "j-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        $env:ICAV2_X_API_KEY = $null
        $env:ICAV2_PROFILE = $null
        Set-IcaConfig -Profile dev -ApiKey $Secret -ColorMode dark
    }

    It 'stores project-id, Get-IcaConfig shows it, other changes keep it, and -ClearProjectId removes only it' {
        (Set-IcaConfig -Profile dev -ProjectId 0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70 -PassThru).ProjectId | Should -Be '0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70'
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Match 'project-id: 0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70'
        (Get-IcaConfig dev | Format-Table | Out-String -Width 300) | Should -Match 'ProjectId[\s\S]*0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70'
        Set-IcaConfig -Profile dev -OutputFormat json
        Get-IcaConfig dev | Set-IcaConfig -ColorMode light    # a piped profile never touches the project
        (Get-IcaConfig dev).ProjectId | Should -Be '0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70'
        Set-IcaConfig -Profile dev -ClearProjectId
        $config = Get-IcaConfig dev
        $config.ProjectId | Should -BeNullOrEmpty
        $config.OutputFormat | Should -Be 'json'
        $config.HasApiKey | Should -BeTrue
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -Not -Match 'project-id'
    }

    It 'an empty variable as -ProjectId (<Shown>) is refused, naming -ClearProjectId, and the stored project stays' -ForEach @(
        @{ Shown = '$unset'; Value = $null }
        @{ Shown = "''"; Value = '' }
        @{ Shown = "' '"; Value = ' ' }
    ) {
        Set-IcaConfig -Profile dev -ProjectId p00001
        $before = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        $record = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ProjectId $Value }
        $record.FullyQualifiedErrorId | Should -Be 'IcaInvalidProjectId,IcaPowerShell.Commands.SetIcaConfigCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -Match '-ClearProjectId'
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeExactly $before
    }

    It 'a project name, a path or a placeholder as -ProjectId is refused with IcaInvalidProjectId' {
        foreach ($bad in 'My trial', 'projects/p1', '{projectId}', "p1`nX: 1") {
            $record = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ProjectId $bad }
            $record.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
            $record.TargetObject | Should -Be '-ProjectId'
        }
        (Get-IcaConfig dev).ProjectId | Should -BeNullOrEmpty
    }

    It '-ProjectId with -ClearProjectId is a conflict, and nothing is written' {
        $before = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        (Get-ErrorIdOf { Set-IcaConfig -Profile dev -ProjectId p1 -ClearProjectId }).FullyQualifiedErrorId | Should -BeLike 'IcaParameterConflict,*'
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeExactly $before
    }

    It 'an empty variable as -Path is refused rather than taken as the default file' {
        $unset = $null   # the suite runs in strict mode; a user's unset variable is $null
        (Get-ErrorIdOf { Set-IcaConfig -Path $unset -Profile dev -ColorMode none }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidSetting,*'
        (Get-IcaConfig dev).ColorMode | Should -Be 'dark'
    }

    It 'a project-id in the file that is no id is named with its line, and the file is left as it is' {
        Set-Content -Path $env:ICAPOWERSHELL_CONFIG_PATH -Value "profiles:`n  dev:`n    colormode: none`n    project-id: My trial`n"
        $before = Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH
        $record = Get-ErrorIdOf { Get-IcaConfig dev }
        $record.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileInvalid,*'
        $record.Exception.Message | Should -Match "line 4.*'project-id' of profile 'dev'"
        Get-Content -Raw $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeExactly $before
    }
}

Describe 'Bad input through the cmdlets: a stable id, a category, a target, and the file untouched' {
    BeforeEach {
        $env:ICAPOWERSHELL_CONFIG_PATH = Join-Path $TestDrive "b-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        New-Item -ItemType Directory -Force (Split-Path $env:ICAPOWERSHELL_CONFIG_PATH) | Out-Null
        $env:ICAV2_X_API_KEY = $null
        $env:ICAV2_PROFILE = $null
    }

    It 'a file that is <Why> is named, left as it is, for Get and Set' -ForEach @(
        @{ Why = 'not YAML'; Content = "profiles: [unclosed`n  default: {" }
        @{ Why = 'a list at the top'; Content = "- one`n- two`n" }
        @{ Why = 'a profile that is a scalar'; Content = "profiles:`n  default: yes`n" }
        @{ Why = 'an unknown output format'; Content = "profiles:`n  default:`n    output-format: xml`n" }
        @{ Why = 'a key that is not binary'; Content = "profiles:`n  default:`n    x-api-key: plain-key`n" }
        @{ Why = 'plain http to a remote server'; Content = "profiles:`n  default:`n    server-url: http://ica.example.org`n" }
        @{ Why = 'two documents'; Content = "a: 1`n---`nb: 2`n" }
        @{ Why = 'an alias bomb'; Content = "a: &a [x, x]`nb: &b [*a, *a]`nc: [*b, *b]`n" }
        @{ Why = 'empty'; Content = '' }
    ) {
        [IO.File]::WriteAllText($env:ICAPOWERSHELL_CONFIG_PATH, $Content)
        $before = [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH)
        foreach ($attempt in { Get-IcaConfig -ListAvailable }, { Set-IcaConfig -Profile default -ApiKey $Secret }) {
            $failure = Get-ErrorIdOf $attempt
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileInvalid,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidData'
            $failure.TargetObject | Should -Be $env:ICAPOWERSHELL_CONFIG_PATH
            $failure.Exception.Message | Should -Match ([regex]::Escape($env:ICAPOWERSHELL_CONFIG_PATH))
        }
        [IO.File]::ReadAllBytes($env:ICAPOWERSHELL_CONFIG_PATH) | Should -Be $before
    }

    It 'a file over 1 MiB is refused before it is read' {
        $stream = [IO.File]::Create($env:ICAPOWERSHELL_CONFIG_PATH); $stream.SetLength(1MB + 1); $stream.Dispose()
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile default -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileTooLarge,*'
        (Get-Item $env:ICAPOWERSHELL_CONFIG_PATH).Length | Should -Be (1MB + 1)
    }

    It 'a folder where the file should be is reported' {
        New-Item -ItemType Directory $env:ICAPOWERSHELL_CONFIG_PATH | Out-Null
        (Get-ErrorIdOf { Set-IcaConfig -Profile default -ApiKey $Secret }).FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileUnreadable,*'
    }

    It 'a folder that cannot be created names -Path' {
        $blocker = Join-Path $TestDrive "blocker-$([guid]::NewGuid().ToString('N'))"
        Set-Content $blocker 'a file where a folder should be'
        $failure = Get-ErrorIdOf { Set-IcaConfig -Path (Join-Path $blocker 'p.yaml') -Profile default -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFolderUnavailable,*'
        $failure.Exception.Message | Should -Match '-Path'
    }

    It 'icav2''s own config.yaml is never used' {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Path (Join-Path $TestDrive '.icav2/config.yaml') -Profile default -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigPathIsIcav2File,*'
    }

    It 'the profile name <Name> is refused and named' -ForEach @(
        @{ Name = '../x' }, @{ Name = 'a/b' }, @{ Name = 'spa ce' }, @{ Name = '-dash' }, @{ Name = ".hidden" }, @{ Name = "new`nline" }
    ) {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile $Name -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'the server URL <Url> is refused with <Id>' -ForEach @(
        @{ Url = 'http://ica.example.org'; Id = 'IcaInsecureServer' }
        @{ Url = 'ftp://ica.example.org'; Id = 'IcaInvalidServerUrl' }
        @{ Url = 'https://user:pw@ica.example.org'; Id = 'IcaInvalidServerUrl' }
    ) {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ServerUrl $Url -ApiKey $Secret }
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'an empty -ApiKey is refused' {
        $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey (New-Object Security.SecureString) }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaEmptyApiKey,*'
        $failure.TargetObject | Should -Be 'ApiKey'
    }

    It 'an unknown -OutputFormat is refused by PowerShell before the file is touched' {
        { Set-IcaConfig -OutputFormat xml } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IcaPowerShell.Commands.SetIcaConfigCommand'
        Test-Path $env:ICAPOWERSHELL_CONFIG_PATH | Should -BeFalse
    }

    It 'a missing profile is reported with how to create it' {
        $failure = Get-ErrorIdOf { Get-IcaConfig -Profile nope }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaProfileNotFound,*'
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.TargetObject | Should -Be 'nope'
    }

    It 'a bad ICAPOWERSHELL_ENCRYPTION_KEY names the variable' {
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = 'not-base64'
        try {
            $failure = Get-ErrorIdOf { Set-IcaConfig -Profile dev -ApiKey $Secret }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaEnvironmentKeyInvalid,*'
            $failure.TargetObject | Should -Be 'ICAPOWERSHELL_ENCRYPTION_KEY'
        }
        finally { $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null }
    }

    It 'a profile file read with another key is a wrong key, not tampering' {
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = [Convert]::ToBase64String([byte[]](1..32))
        Set-IcaConfig -Profile dev -ServerUrl http://127.0.0.1:9 -ApiKey $Secret
        $env:ICAPOWERSHELL_ENCRYPTION_KEY = [Convert]::ToBase64String([byte[]](2..33))
        try {
            (Get-ErrorIdOf { Get-IcaToken -Profile dev }).FullyQualifiedErrorId | Should -BeLike 'IcaSecretWrongKey,*'
        }
        finally { $env:ICAPOWERSHELL_ENCRYPTION_KEY = $null }
    }
}
