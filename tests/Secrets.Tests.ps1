#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# No secret in any stream, $Error, Get-Error, a transcript, ConvertTo-Json or Select-Object * of the output.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    $script:Server = Start-FakeIca
}

AfterAll { Stop-FakeIca $Server }

Describe 'Secrets never shown' {
    It 'appear nowhere in a -Verbose -Debug session''s transcript, errors and serialised output' {
        $folder = Join-Path $TestDrive 'secrets'
        New-Item -ItemType Directory $folder | Out-Null
        $transcript = Join-Path $folder 'transcript.txt'
        # The child prints everything a user could look at into its transcript, then says which
        # secret forms it finds there; the JWT is known only inside the child. The key reaches it
        # through the environment, as in a pipeline, so no command line it echoes holds the key.
        $env:PESTER_FAKE_KEY = $Server.ApiKey
        $result = Invoke-FreshPowerShell @"
`$ErrorActionPreference = 'Continue'
`$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; `$InformationPreference = 'Continue'
`$env:ICAPOWERSHELL_CONFIG_PATH = '$folder/profiles.yaml'
Start-Transcript -Path '$transcript' | Out-Null
Import-Module '$ModuleManifest'
Set-IcaConfig -Profile s -ServerUrl '$($Server.Url)' -ApiKey (ConvertTo-SecureString `$env:PESTER_FAKE_KEY -AsPlainText -Force) -PassThru | Format-List *
`$token = Get-IcaToken -Profile s
`$token
`$token | Format-List *
`$token | Select-Object * | Out-String
`$token | ConvertTo-Json -Depth 4
Get-IcaConfig -Profile s | ConvertTo-Json -Depth 4
Get-IcaConfig -Profile s | Select-Object * | Out-String
Get-IcaToken -ApiKey (ConvertTo-SecureString ('wrong-' + `$env:PESTER_FAKE_KEY) -AsPlainText -Force) -ServerUrl '$($Server.Url)'
`$Error | Format-List * -Force | Out-String
Get-Error | Out-String
Stop-Transcript | Out-Null
`$jwt = Get-IcaToken -Profile s -AsPlainText
`$text = Get-Content -Raw '$transcript'
'transcript-bytes=' + `$text.Length
'jwt-found=' + (`$text.Contains(`$jwt) -or `$text.Contains(`$jwt.Split('.')[1]) -or `$text.Contains(`$jwt.Split('.')[2]))
'rejected-errors=' + @(`$Error | Where-Object { `$_.FullyQualifiedErrorId -like 'IcaApiKeyRejected,*' }).Count
"@
        $env:PESTER_FAKE_KEY = $null
        $result.Output | Should -Match 'transcript-bytes=\d{4,}'
        $result.Output | Should -Match 'jwt-found=False'
        $result.Output | Should -Match 'rejected-errors=[1-9]'
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'VERBOSE: '
        $text | Should -Match 'IcaApiKeyRejected'
        $text | Should -Not -Match $Server.ApiKey
        $text | Should -Not -Match $Server.ApiKey.Substring(0, 20)
        $result.Output | Should -Not -Match $Server.ApiKey
    }

    It 'cuts a -Credential password a server echoes as the base64 of its whole Authorization header (verifier''s finding B)' {
        Import-Module $ModuleManifest
        Reset-FakeIca $Server
        Add-FakeIcaFault $Server EchoTokenBase64
        $credential = [pscredential]::new($Server.UserName, (ConvertTo-SecureString $Server.Password -AsPlainText -Force))
        try { $failure = Get-ErrorIdOf { Get-IcaToken -Credential $credential -ServerUrl $Server.Url } }
        finally { Reset-FakeIca $Server }
        $failure | Should -Not -BeNullOrEmpty
        $text = ($failure | Out-String) + (Get-Error -InputObject $failure | Out-String) + ($failure | Format-List * -Force | Out-String) + ($failure.Exception | Format-List * -Force | Out-String)
        $text | Should -Match 'upstream saw'
        $pair = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($Server.UserName):$($Server.Password)"))
        $header = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("Basic $pair"))
        foreach ($form in $Server.Password, $pair.TrimEnd('='), $header.Substring(8, 40)) {
            $text.Contains($form) | Should -BeFalse -Because "no form of the password may be shown ($($form.Length) characters)"
        }
    }

    It 'keeps the token a read-only SecureString that ConvertTo-Json cannot reveal' {
        Import-Module $ModuleManifest -Force
        $token = Get-IcaToken -ApiKey (ConvertTo-TestSecret $Server.ApiKey) -ServerUrl $Server.Url -Force
        $token.Token.IsReadOnly() | Should -BeTrue
        $jwt = Get-IcaToken -ApiKey (ConvertTo-TestSecret $Server.ApiKey) -ServerUrl $Server.Url -AsPlainText
        ($token | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($jwt.Split('.')[2]))
        ($token | Select-Object * | Out-String) | Should -Not -Match ([regex]::Escape($jwt.Split('.')[2]))
    }
}
