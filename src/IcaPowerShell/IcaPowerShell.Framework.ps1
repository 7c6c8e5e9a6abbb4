# Windows PowerShell 5.1 runs this (the manifest's ScriptsToProcess) before it loads IcaPowerShell.dll.
# The module needs .NET Framework 4.7.2 or later: 4.6.2 to 4.7.0 have no netstandard facades, and the
# import would fail with "Could not load file or assembly 'netstandard'", which says nothing useful;
# the manifest's DotNetFrameworkVersion is not enforced by 5.1. PowerShell 7 runs on .NET: nothing to check.
# Everything happens inside one script block, so the caller's scope (where ScriptsToProcess runs) gains
# no variable. Tests pass a release number: & IcaPowerShell.Framework.ps1 394802.
& {
    param([int] $Release = -1)

    if ($Release -lt 0) {
        if ($PSVersionTable.PSEdition -eq 'Core') { return }
        $key = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue
        $Release = if ($key) { [int] $key.Release } else { 0 }
    }

    # The smallest Release value of each version (Microsoft's table for the NDP\v4\Full key).
    $minimum = 461808
    if ($Release -ge $minimum) { return }
    $installed = switch ($Release) {
        { $_ -ge 461308 } { '4.7.1'; break }
        { $_ -ge 460798 } { '4.7'; break }
        { $_ -ge 394802 } { '4.6.2'; break }
        { $_ -ge 394254 } { '4.6.1'; break }
        { $_ -ge 393295 } { '4.6'; break }
        { $_ -ge 379893 } { '4.5.2'; break }
        { $_ -ge 378675 } { '4.5.1'; break }
        { $_ -ge 378389 } { '4.5'; break }
        default { $null }
    }
    $found = if ($installed) { ".NET Framework $installed (release $Release)" } else { 'no .NET Framework 4.5 or later' }
    $message = "IcaPowerShell needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1; this machine has $found. " +
        'Install .NET Framework 4.8 (Microsoft''s offline installer, or Windows Update), or use PowerShell 7.4 or later (pwsh), which does not depend on it.'
    $exception = New-Object System.PlatformNotSupportedException $message
    throw (New-Object System.Management.Automation.ErrorRecord $exception, 'IcaNetFrameworkTooOld', 'NotInstalled', $Release)
} @args
