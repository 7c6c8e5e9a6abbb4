using System;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>What Get-IcaToken was asked for; every member is optional.</summary>
    public sealed class TokenRequest
    {
        /// <summary>-Profile; else $env:ICAV2_PROFILE; else 'default'.</summary>
        public string? Profile { get; set; }

        /// <summary>-Path of the profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else the default file.</summary>
        public string? Path { get; set; }

        /// <summary>-ApiKey or -Credential: mint with this instead of any stored profile.</summary>
        public IcaCredential? Credential { get; set; }

        /// <summary>-ServerUrl, overriding the profile's and the environment's server.</summary>
        public string? ServerUrl { get; set; }

        /// <summary>-Force: mint a new token even when the cached one is still fresh.</summary>
        public bool Force { get; set; }

        /// <summary>-Proxy/-ProxyCredential.</summary>
        public ProxySelection? Proxy { get; set; }

        /// <summary>Receives diagnostics for this call (the cmdlet's verbose stream).</summary>
        public Action<string>? Verbose { get; set; }
    }
}
