using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>What Get-IcaToken was asked for; every member is optional.</summary>
    /// <param name="Profile">-Profile; else $env:ICAV2_PROFILE; else 'default'.</param>
    /// <param name="Path">-Path of the profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else the default file.</param>
    /// <param name="Credential">-ApiKey or -Credential: mint with this instead of any stored profile.</param>
    /// <param name="ServerUrl">-ServerUrl, overriding the profile's and the environment's server.</param>
    /// <param name="Force">-Force: mint a new token even when the cached one is still fresh.</param>
    /// <param name="Proxy">-Proxy/-ProxyCredential.</param>
    public sealed record TokenRequest(
        string? Profile = null,
        string? Path = null,
        IcaCredential? Credential = null,
        string? ServerUrl = null,
        bool Force = false,
        ProxySelection? Proxy = null);
}
