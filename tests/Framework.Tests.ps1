#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The .NET Framework check that Windows PowerShell 5.1 runs before loading IcaPowerShell.dll
# (the manifest's ScriptsToProcess): its decision for each release number, and that it is a
# silent no-op in PowerShell 7. Reading the real registry happens only in 5.1 (ci.yml).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester.Helpers.ps1')
    $script:Check = Join-Path (Split-Path -Parent $ModuleManifest) 'IcaPowerShell.Framework.ps1'
}

Describe 'IcaPowerShell.Framework.ps1' {
    It 'refuses .NET Framework <Version> (release <Release>), naming it and what to install' -ForEach @(
        @{ Release = 394802; Version = '4.6.2' }
        @{ Release = 460798; Version = '4.7' }
        @{ Release = 461310; Version = '4.7.1' }
    ) {
        { & $Check $Release } | Should -Throw -ErrorId 'IcaNetFrameworkTooOld'
        $record = try { & $Check $Release } catch { $_ }
        $record.Exception.Message | Should -BeLike "*has .NET Framework $Version (release $Release)*"
        $record.Exception.Message | Should -BeLike '*4.7.2 or later*'
        $record.Exception.Message | Should -BeLike '*Install .NET Framework 4.8*PowerShell 7*'
        $record.CategoryInfo.Category | Should -Be 'NotInstalled'
    }

    It 'says so when no .NET Framework 4.5 or later is found' {
        $record = try { & $Check 0 } catch { $_ }
        $record.Exception.Message | Should -BeLike '*has no .NET Framework 4.5 or later*'
    }

    It 'accepts 4.7.2 (release <_>) and later' -ForEach @(461808, 461814, 528040, 533320) {
        { & $Check $_ } | Should -Not -Throw
        & $Check $_ | Should -BeNullOrEmpty
    }

    It 'does nothing in PowerShell 7 and leaves no variable behind in the importing scope' {
        $result = Invoke-FreshPowerShell "Import-Module '$ModuleManifest'; '{0},{1},{2}' -f [bool](Get-Variable Release -ErrorAction SilentlyContinue), [bool](Get-Variable minimum -ErrorAction SilentlyContinue), @(Get-Command -Module IcaPowerShell).Count"
        $result.ExitCode | Should -Be 0
        $result.Output.Trim() | Should -Be "False,False,$(@((Import-PowerShellDataFile $ModuleManifest).CmdletsToExport).Count)"
    }
}
