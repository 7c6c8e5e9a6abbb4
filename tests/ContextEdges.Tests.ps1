#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Kept tokens, the runspace context and the project context as a reviewer who had not seen the code
# used them (issue 18, second review): each test is one of the findings, as it was reproduced.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Server = Start-FakeIca

    function New-ProfileFile {
        # A profile file of its own for each test: kept tokens live beside it.
        param([string[]] $Profiles = @('default'))
        $path = Join-Path $TestDrive "edges-$([guid]::NewGuid().ToString('N'))/profiles.yaml"
        foreach ($name in $Profiles) {
            Set-IcaConfig -Path $path -Profile $name -ServerUrl $Server.Url -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        }
        $path
    }

    function Save-KeptToken([string] $Path) {
        # A first process mints with the profile and keeps the token, as a pipeline's first step does.
        (Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$Path').Source").Output.Trim() | Should -Be 'Minted'
    }

    function Assert-NoKey([string] $Text) {
        # The key as given, and the base64 a Basic pair or an encoder would make of it.
        $Text | Should -Not -BeNullOrEmpty
        $Text.Contains($Server.ApiKey) | Should -BeFalse -Because 'the API key must never be shown'
        $Text.Contains([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Server.ApiKey)).TrimEnd('=')) | Should -BeFalse
    }
}

AfterAll {
    Stop-FakeIca $Server
}

Describe 'A process that takes a kept token still cuts the key a server echoes' {
    BeforeEach { Reset-FakeIca $Server }

    It 'taken the quick way (profile file unchanged), the API key is cut from the error, Get-Error and ErrorDetails' {
        $path = New-ProfileFile
        Save-KeptToken $path
        Add-FakeIcaFault $Server EchoSecrets
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
(Get-IcaToken).Source
try { Invoke-IcaRestMethod projects/p00001 -ErrorAction Stop } catch { `$_ | Out-String; Get-Error -InputObject `$_ | Out-String; `$_.ErrorDetails.Message }
"@
        $result.Output | Should -Match '^Kept'
        $result.Output | Should -Match 'failed for key \*\*\*'
        Assert-NoKey $result.Output
    }

    It 'taken the full way (a comment added to the profile file), the API key is cut as well' {
        $path = New-ProfileFile
        Save-KeptToken $path
        Add-Content -LiteralPath $path -Value '# edited by hand'
        Add-FakeIcaFault $Server EchoSecrets
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
(Get-IcaToken).Source
try { Invoke-IcaRestMethod projects/p00001 -Verbose -ErrorAction Stop } catch { `$_ | Out-String; `$_.ErrorDetails.Message }
"@
        $result.Output | Should -Match '^Kept'
        $result.Output | Should -Match 'failed for key \*\*\*'
        Assert-NoKey $result.Output
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 1 -Because 'only the first process minted'
    }
}

Describe 'A context set in one ForEach-Object -Parallel item does not reach the next item in a reused runspace' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    It 'items after the one that set it use the default profile and no project again' {
        $path = New-ProfileFile -Profiles default, other
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
1..4 | ForEach-Object -ThrottleLimit 1 -Parallel {
    Import-Module '$ModuleManifest'
    if (`$_ -eq 1) { Set-IcaContext -Profile other -ProjectId p00002 }
    `$c = Get-IcaContext
    '{0} {1} {2}' -f `$_, `$c.Profile, (`$c.ProjectId ?? 'none')
}
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('1 other p00002', '2 default none', '3 default none', '4 default none')
    }

    It 'in one runspace, the context stays across commands, and Clear-IcaContext removes its variable' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaContext -Profile other -Path $path -ProjectId p00002
        (Get-IcaContext).Profile | Should -Be 'other'
        (Get-Variable IcaPowerShellContext -Scope Global -ValueOnly).ProjectId | Should -Be 'p00002'
        Clear-IcaContext
        Get-Variable IcaPowerShellContext -Scope Global -ErrorAction Ignore | Should -BeNullOrEmpty
        { Clear-IcaContext } | Should -Not -Throw
    }

    It '$IcaPowerShellContext''s properties are read-only, and replaced by hand (even with $null) it stops the calls that would use it instead of falling back to another profile (third review)' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaContext -Profile other -Path $path -ProjectId p00002
        try {
            { $global:IcaPowerShellContext.ProjectId = '../tokens' } | Should -Throw -ExpectedMessage '*ReadOnly*'
            $global:IcaPowerShellContext.ProjectId | Should -Be 'p00002'
            foreach ($replacement in 'garbage', $null) {
                $global:IcaPowerShellContext = $replacement
                foreach ($call in { Get-IcaToken }, { Get-IcaContext }, { Invoke-IcaRestMethod 'projects/{projectId}' }, { Get-IcaToken -Profile default }) {
                    $failure = Get-ErrorIdOf $call
                    $failure.FullyQualifiedErrorId | Should -BeLike 'IcaContextVariableChanged,*' -Because "$call after `$IcaPowerShellContext = '$replacement'"
                    $failure.Exception.Message | Should -Match "profile 'other', project 'p00002'"
                }
                # A call that names its credential and file does not use the context, nor do the profile cmdlets (verifier's finding F).
                (Get-IcaToken -Profile default -Path $path).Profile | Should -Be 'default'
                (Get-IcaToken -ApiKey (ConvertTo-TestSecret $Server.ApiKey) -ServerUrl $Server.Url).ServerUrl | Should -Be $Server.Url
                (Get-IcaConfig other -Path $path).Profile | Should -Be 'other'
            }
            Set-IcaContext -ProjectId p00003
            (Get-IcaContext).Profile | Should -Be 'other' -Because 'Set-IcaContext starts from the context it set, not from the variable'
            (Get-IcaContext).ProjectId | Should -Be 'p00003'
            $global:IcaPowerShellContext = 'garbage again'
            Clear-IcaContext
            Get-Variable IcaPowerShellContext -Scope Global -ErrorAction Ignore | Should -BeNullOrEmpty
        }
        finally { Clear-IcaContext }
    }
}

Describe '{projectId} follows the credential the call names' {
    BeforeEach { Reset-FakeIca $Server }

    It 'an explicit -Profile of another profile never takes the context''s project, and its stored project beats $env:ICAV2_PROJECT_ID' {
        $path = New-ProfileFile -Profiles default, other
        Set-IcaConfig -Path $path -Profile default -ProjectId p00001
        Set-IcaConfig -Path $path -Profile other -ProjectId p00002
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
Set-IcaContext -Profile default -ProjectId p00004
(Invoke-IcaRestMethod 'projects/{projectId}').name
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile default).name
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile other).name
(Get-IcaContext -Profile other).ProjectFrom
Clear-IcaContext
`$env:ICAV2_PROJECT_ID = 'p00003'
(Invoke-IcaRestMethod 'projects/{projectId}').name
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile other).name
(Invoke-IcaRestMethod 'projects/{projectId}' -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force) -ServerUrl '$($Server.Url)').name
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('project-00004', 'project-00004', 'project-00002', "profile 'other'", 'project-00003', 'project-00002', 'project-00003')
    }

    It 'a call with another profile that stores none takes $env:ICAV2_PROJECT_ID, never the context''s project' {
        $path = New-ProfileFile -Profiles default, other
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
Set-IcaContext -Profile default -ProjectId p00004
try { Invoke-IcaRestMethod 'projects/{projectId}' -Profile other -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }
`$env:ICAV2_PROJECT_ID = 'p00003'
(Invoke-IcaRestMethod 'projects/{projectId}' -Profile other).name
"@
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('IcaProjectRequired,IcaPowerShell.Commands.InvokeIcaRestMethodCommand', 'project-00003')
    }

    It 'IcaProjectRequired offers Set-IcaContext only to a call that could take its project (third review)' {
        $path = New-ProfileFile -Profiles default, other
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
try { Invoke-IcaRestMethod 'projects/{projectId}' -Profile other -ErrorAction Stop } catch { 'other: ' + `$_.Exception.Message }
try { Invoke-IcaRestMethod 'projects/{projectId}' -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force) -ServerUrl '$($Server.Url)' -ErrorAction Stop } catch { 'key: ' + `$_.Exception.Message }
try { Invoke-IcaRestMethod 'projects/{projectId}' -ErrorAction Stop } catch { 'own: ' + `$_.Exception.Message }
"@
        $lines = $result.Output.Trim() -split '\r?\n'
        $lines[0] | Should -Match '^other: .*Set-IcaConfig -Profile other -ProjectId <id>'
        $lines[0] | Should -Not -Match 'Set-IcaContext -ProjectId'
        $lines[1] | Should -Match '^key: .*ICAV2_PROJECT_ID'
        $lines[1] | Should -Not -Match 'Set-IcaContext -ProjectId|Set-IcaConfig'
        $lines[2] | Should -Match '^own: .*Set-IcaContext -ProjectId <id>'
        Assert-NoKey $result.Output
        # A pipeline with the key in $env:ICAV2_X_API_KEY has no profile to store a project in (verifier's finding D).
        $fromEnvironment = Invoke-FreshPowerShell @"
`$env:ICAV2_X_API_KEY = '$($Server.ApiKey)'; `$env:ICAV2_SERVER_URL = '$($Server.Url)'
Import-Module '$ModuleManifest'
try { Invoke-IcaRestMethod 'projects/{projectId}' -ErrorAction Stop } catch { `$_.Exception.Message }
"@
        $fromEnvironment.Output | Should -Match 'Set-IcaContext -ProjectId <id>'
        $fromEnvironment.Output | Should -Match 'has no profile to store one in'
        $fromEnvironment.Output | Should -Not -Match 'Set-IcaConfig'
    }
}

Describe 'Set-IcaContext and Clear-IcaContext where nobody can answer' {
    BeforeAll {
        $script:Path = New-ProfileFile -Profiles default, other
        $script:Prelude = "`$env:ICAPOWERSHELL_CONFIG_PATH = '$Path'; Import-Module '$ModuleManifest'"
        $script:Report = "catch { 'id=' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }; 'still-running'"
    }

    It '<Command> under pwsh -NonInteractive fails with IcaConfirmationRequired naming -Confirm:$false' -ForEach @(
        @{ Command = 'Clear-IcaContext -KeptToken -Confirm' }
        @{ Command = 'Set-IcaContext -Profile other -Confirm' }
        @{ Command = '$ConfirmPreference = ''Low''; Clear-IcaContext' }
    ) {
        $result = Invoke-FreshPowerShell "$Prelude; try { $Command -ErrorAction Stop } $Report"
        $result.Output | Should -Match 'id=IcaConfirmationRequired,'
        $result.Output | Should -Match '-Confirm:\$false'
        $result.Output | Should -Not -Match 'NonInteractive mode|Object reference'
        $result.Output | Should -Match 'still-running'
    }

    It 'Set-IcaContext -Confirm with standard input closed asks nothing and leaves the context as it was' {
        $result = Invoke-FreshPowerShell -Interactive -InputText '' "Remove-Item Env:CI, Env:TF_BUILD, Env:GITHUB_ACTIONS -ErrorAction Ignore; $Prelude; try { Set-IcaContext -Profile other -Confirm -ErrorAction Stop } $Report; (Get-IcaContext).Profile"
        $result.Output | Should -Match 'id=IcaConfirmationRequired,'
        $result.Output | Should -Not -Match 'Are you sure|\[Y\] Yes|Object reference'
        ($result.Output.Trim() -split '\r?\n')[-1] | Should -Be 'default'
    }
}

Describe 'Clear-IcaContext -KeptToken -Path that names no profile file' {
    It 'a folder (with or without a trailing separator) is refused, nothing is deleted and the context stays' {
        $path = New-ProfileFile -Profiles default
        Get-IcaToken -Path $path | Out-Null
        $folder = Split-Path $path
        $token = Get-ChildItem -LiteralPath $folder -Filter '*.token'
        $token | Should -HaveCount 1
        Set-Content -LiteralPath (Join-Path $folder '~z.token') -Value 'not ours to guess at'
        Set-IcaContext -Path $path -ProjectId p00001
        try {
            foreach ($given in $folder, "$folder$([IO.Path]::DirectorySeparatorChar)") {
                $failure = Get-ErrorIdOf { Clear-IcaContext -KeptToken -Path $given }
                $failure.FullyQualifiedErrorId | Should -BeLike 'IcaConfigFileUnreadable,*'
                $failure.Exception.Message | Should -Match 'is a folder, not a profile file'
            }
            (Get-ChildItem -LiteralPath $folder -Filter '*.token').Name | Sort-Object | Should -Be (@($token.Name, '~z.token') | Sort-Object)
            (Get-IcaContext).ProjectId | Should -Be 'p00001'
        }
        finally { Clear-IcaContext }
    }

    It '-Path typed without -KeptToken is refused with IcaParameterConflict: the kept token and the context stay' {
        $path = New-ProfileFile -Profiles default
        Get-IcaToken -Path $path | Out-Null
        Set-IcaContext -Path $path -ProjectId p00001
        try {
            $failure = Get-ErrorIdOf { Clear-IcaContext -Path $path }
            $failure.FullyQualifiedErrorId | Should -BeLike 'IcaParameterConflict,*'
            $failure.Exception.Message | Should -Match 'Add -KeptToken'
            (Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token') | Should -HaveCount 1
            (Get-IcaContext).ProjectId | Should -Be 'p00001'
            # A profile object piped in brings its file as Path: that is no request, and clears this runspace.
            Get-IcaConfig -Path $path | Clear-IcaContext
            Get-Variable IcaPowerShellContext -Scope Global -ErrorAction Ignore | Should -BeNullOrEmpty
            (Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token') | Should -HaveCount 1
        }
        finally { Clear-IcaContext }
    }

    It '-Profile (not taken as -ProfilePath) forgets that profile''s tokens only, its kept one with -KeptToken; the context stays (verifier''s finding C)' {
        $path = New-ProfileFile -Profiles default, other
        Get-IcaToken -Path $path -Profile default | Out-Null
        Get-IcaToken -Path $path -Profile other | Out-Null
        Set-IcaContext -Path $path -Profile other -ProjectId p00002
        try {
            (Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token').Name | Sort-Object | Should -Be @('profiles.yaml~default.token', 'profiles.yaml~other.token')
            Clear-IcaContext -Profile other -KeptToken
            (Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token').Name | Should -Be @('profiles.yaml~default.token')
            (Get-IcaContext).Profile | Should -Be 'other'
            (Get-IcaContext).ProjectId | Should -Be 'p00002'
            (Get-IcaToken).Source | Should -Be 'Minted' -Because 'its token was forgotten here and on disk'
            (Get-IcaToken -Profile default -Path $path).Source | Should -Be 'Cache'
            $unset = $null
            (Get-ErrorIdOf { Clear-IcaContext -Profile $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        }
        finally { Clear-IcaContext }
    }

    It 'a file that is not there, with no token beside it, is a warning that names it' {
        $path = New-ProfileFile -Profiles default
        $missing = Join-Path (Split-Path $path) 'profiels.yaml'
        $warnings = Clear-IcaContext -KeptToken -Path $missing 3>&1
        "$warnings" | Should -Match ([regex]::Escape("There is no profile file '$missing'"))
        "$warnings" | Should -Match 'nothing was deleted'
    }
}

Describe 'Objects piped into Get-IcaToken' {
    It 'a context or token whose token comes from $env:ICAV2_X_API_KEY (no profile) is "no profile given", not its type name' {
        $result = Invoke-FreshPowerShell @"
`$env:ICAV2_X_API_KEY = '$($Server.ApiKey)'
`$env:ICAV2_SERVER_URL = '$($Server.Url)'
`$env:ICAPOWERSHELL_CONFIG_PATH = '$(Join-Path $TestDrive 'none.yaml')'
Import-Module '$ModuleManifest'
(Get-IcaContext | Get-IcaToken).ServerUrl
(Get-IcaToken | Get-IcaToken).ServerUrl
(Get-IcaContext | Get-IcaContext).Source
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Output.Trim() -split '\r?\n') | Should -Be @($Server.Url, $Server.Url, 'EnvironmentApiKey')
    }

    It 'an empty -Profile typed on the command line is refused with IcaInvalidProfileName, an empty -Path with IcaInvalidSetting' {
        $unset = $null
        (Get-ErrorIdOf { Get-IcaToken -Profile $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        (Get-ErrorIdOf { Get-IcaToken -Profile '' }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        (Get-ErrorIdOf { Get-IcaToken -Path $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidSetting,*'
        # The same ids from the context cmdlets (third review): not PowerShell's ParameterArgumentValidationError.
        (Get-ErrorIdOf { Get-IcaContext -Profile $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProfileName,*'
        (Get-ErrorIdOf { Set-IcaContext -ProjectName $unset }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
        (Get-ErrorIdOf { Set-IcaContext -ProjectName '' }).FullyQualifiedErrorId | Should -BeLike 'IcaInvalidProjectId,*'
    }
}

Describe 'A piped context or token brings its own profile file (third review)' {
    BeforeAll {
        # The same profile name in the default file (a server nothing answers on) and in another file.
        $script:Other = New-ProfileFile -Profiles staging
        $script:Default = Join-Path $TestDrive "piped-$([guid]::NewGuid().ToString('N'))/default.yaml"
        Set-IcaConfig -Path $Default -Profile staging -ServerUrl 'http://127.0.0.1:9' -ApiKey (ConvertTo-TestSecret $Server.ApiKey)
        $script:SavedConfigPath = $env:ICAPOWERSHELL_CONFIG_PATH
        $env:ICAPOWERSHELL_CONFIG_PATH = $Default
    }
    AfterAll {
        $env:ICAPOWERSHELL_CONFIG_PATH = $SavedConfigPath
        Clear-IcaContext
    }

    It 'Get-IcaContext -Path OTHER | Get-IcaToken takes the profile of OTHER, not the default file''s of the same name' {
        $token = Get-IcaContext -Profile staging -Path $Other | Get-IcaToken
        $token.ServerUrl | Should -Be $Server.Url
        $token.ProfilePath | Should -Be $Other
    }

    It 'Get-IcaToken -Path OTHER | Set-IcaContext sets the context to OTHER''s profile' {
        Get-IcaToken -Profile staging -Path $Other | Set-IcaContext
        $context = Get-IcaContext
        $context.ProfilePath | Should -Be $Other
        $context.ServerUrl | Should -Be $Server.Url
    }

    It 'a token from parameters has no file, and piped on it still means "not given"' {
        $token = Get-IcaToken -ApiKey (ConvertTo-TestSecret $Server.ApiKey) -ServerUrl $Server.Url
        $token.ProfilePath | Should -BeNullOrEmpty
        Clear-IcaContext
        $failure = Get-ErrorIdOf { $token | Get-IcaToken }
        $failure.FullyQualifiedErrorId | Should -BeLike 'IcaProfileNotFound,*' -Because 'no profile and no file given: the default profile of the default file'
        $failure.Exception.Message | Should -Match ([regex]::Escape($Default))
    }
}

Describe 'Get-IcaContext after the profile file changed under a running process' {
    It 'names the server of the token the next call sends, not the one the file names now' {
        $path = New-ProfileFile -Profiles default
        $token = Get-IcaToken -Path $path
        $text = [IO.File]::ReadAllText($path).Replace("server-url: $($Server.Url)", 'server-url: http://127.0.0.1:9')
        [IO.File]::WriteAllText($path, $text)
        $context = Get-IcaContext -Path $path
        $context.TokenState | Should -Be 'Memory'
        $context.ServerUrl | Should -Be $token.ServerUrl
        (Get-IcaToken -Path $path).ServerUrl | Should -Be $token.ServerUrl
    }
}

Describe '$env:ICAPOWERSHELL_KEEP_TOKENS set to a word it does not know' {
    BeforeEach { Reset-FakeIca $Server }

    It '"none" keeps nothing on disk and says so in a warning, once per process' {
        $path = New-ProfileFile
        $script = "`$env:ICAPOWERSHELL_KEEP_TOKENS = 'none'; Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$path' -WarningVariable +said).Source; (Get-IcaToken -Path '$path' -Force -WarningVariable +said).Source; 'warnings: ' + `$said.Count; `$said | ForEach-Object { 'said: ' + `$_.Message }"
        $first = Invoke-FreshPowerShell $script
        $first.ExitCode | Should -Be 0 -Because $first.Output
        $first.Output | Should -Match 'warnings: 1'
        $first.Output | Should -Match "said: \`$env:ICAPOWERSHELL_KEEP_TOKENS is 'none'.*kept in this runspace only"
        Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token' | Should -BeNullOrEmpty
        (Invoke-FreshPowerShell $script).Output | Should -Match '(?m)^Minted'
        (Get-FakeIcaStats $Server).TokenRequests | Should -Be 4
    }

    It '"no" and "yes" are the words README lists with 0 and 1: no warning, nothing kept or kept (third review)' {
        $path = New-ProfileFile
        $off = Invoke-FreshPowerShell "`$env:ICAPOWERSHELL_KEEP_TOKENS = 'no'; Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$path' -WarningVariable said).Source; 'warnings: ' + `$said.Count"
        ($off.Output.Trim() -split '\r?\n') | Should -Be @('Minted', 'warnings: 0')
        Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token' | Should -BeNullOrEmpty
        $on = Invoke-FreshPowerShell "`$env:ICAPOWERSHELL_KEEP_TOKENS = 'Yes'; Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$path' -WarningVariable said).Source; 'warnings: ' + `$said.Count"
        ($on.Output.Trim() -split '\r?\n') | Should -Be @('Minted', 'warnings: 0')
        Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token' | Should -HaveCount 1
    }

    It 'Get-IcaToken -Force with keeping off removes the kept token, so the next process does not take the one it replaced (third review)' {
        $path = New-ProfileFile
        Save-KeptToken $path
        $forced = Invoke-FreshPowerShell "`$env:ICAPOWERSHELL_KEEP_TOKENS = '0'; Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$path' -Force -Verbose 4>&1 | Out-String)"
        $forced.Output | Should -Match 'removed the token kept in'
        Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token' | Should -BeNullOrEmpty
        (Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; (Get-IcaToken -Path '$path').Source").Output.Trim() | Should -Be 'Minted'
    }
}

Describe 'Piped input that names no profile is never the default by accident' {
    It 'an empty string or a Profile that is a list is refused; a null Profile (a context from the environment) is "not given"' {
        $result = Invoke-FreshPowerShell @"
`$env:ICAV2_X_API_KEY = '$($Server.ApiKey)'
`$env:ICAV2_SERVER_URL = '$($Server.Url)'
`$env:ICAPOWERSHELL_CONFIG_PATH = '$(Join-Path $TestDrive 'none.yaml')'
Import-Module '$ModuleManifest'
foreach (`$in in @('', [pscustomobject]@{ Profile = @('stage') }, [pscustomobject]@{ Profile = `$null })) {
    try { 'ok ' + (`$in | Get-IcaToken -ErrorAction Stop).Source } catch { 'error ' + `$_.FullyQualifiedErrorId.Split(',')[0] }
}
"@
        ($result.Output.Trim() -split '\r?\n') | Should -Be @('error IcaInvalidProfileName', 'error InputObjectNotBound', 'ok Minted')
    }
}

Describe 'The key a server echoes after the profile changed under a process that took its kept token' {
    BeforeEach { Reset-FakeIca $Server }

    It 'is the key the token was minted with, cut even after another process stored a new key' {
        $path = New-ProfileFile
        Save-KeptToken $path
        Add-FakeIcaFault $Server EchoSecrets
        $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = '$path'
Import-Module '$ModuleManifest'
(Get-IcaToken).Source
& '$($PowerShellCommand[0])' $(($PowerShellCommand | Select-Object -Skip 1 | ForEach-Object { "'$_'" }) -join ' ') -NoProfile -NonInteractive -Command "Import-Module '$ModuleManifest'; Set-IcaConfig -Path '$path' -Profile default -ApiKey (ConvertTo-SecureString 'a-rotated-key-0123456789' -AsPlainText -Force) -Confirm:`$false"
try { Invoke-IcaRestMethod projects/p00001 -ErrorAction Stop } catch { `$_ | Out-String; `$_.ErrorDetails.Message }
"@
        $result.Output | Should -Match '^Kept'
        $result.Output | Should -Match 'failed for key \*\*\*'
        Assert-NoKey $result.Output
    }
}

Describe 'A damaged kept token file is reported once, in words (third review)' {
    It 'garbage in the file: one verbose line for the call, no .NET message' {
        $path = New-ProfileFile
        Save-KeptToken $path
        $kept = Get-ChildItem -LiteralPath (Split-Path $path) -Filter '*.token'
        Set-Content -LiteralPath $kept.FullName -Value 'not base64 at all!' -NoNewline
        $verbose = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; Get-IcaToken -Path '$path' -Verbose 4>&1 | Out-String -Width 400"
        $lines = @($verbose.Output -split '\r?\n' | Where-Object { $_ -match 'could not be used' })
        $lines | Should -HaveCount 1 -Because $verbose.Output
        $lines[0] | Should -Match 'it is not a file this module wrote'
        $verbose.Output | Should -Not -Match 'Base-64|padding'
    }

    It 'a folder where the kept file goes: the call works and says to remove the folder' {
        $path = New-ProfileFile
        New-Item -ItemType Directory -Path "$path~default.token" | Out-Null
        $verbose = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; Get-IcaToken -Path '$path' -Verbose 4>&1 | Out-String -Width 400"
        $verbose.Output | Should -Match "The token could not be kept: '.*~default\.token' is a folder\. Remove it"
        $verbose.Output | Should -Match 'Minted'
    }
}

Describe 'A relative $env:ICAPOWERSHELL_CONFIG_PATH, as README says (third review)' {
    It 'is taken from the folder pwsh started in, not from Set-Location''s; -Path follows Set-Location' {
        $start = Join-Path $TestDrive "relative-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path (Join-Path $start 'sub') | Out-Null
        Push-Location $start
        try {
            $result = Invoke-FreshPowerShell @"
`$env:ICAPOWERSHELL_CONFIG_PATH = 'p.yaml'
Import-Module '$ModuleManifest'
Set-Location sub
Set-IcaConfig -Profile x -ServerUrl '$($Server.Url)' -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force)
(Get-IcaConfig x).Path
Set-IcaConfig -Profile y -Path ./q.yaml -ServerUrl '$($Server.Url)' -ApiKey (ConvertTo-SecureString '$($Server.ApiKey)' -AsPlainText -Force)
(Get-IcaConfig y -Path ./q.yaml).Path
"@
        }
        finally { Pop-Location }
        ($result.Output.Trim() -split '\r?\n') | Should -Be @((Join-Path $start 'p.yaml'), (Join-Path $start 'sub/q.yaml'))
    }
}
