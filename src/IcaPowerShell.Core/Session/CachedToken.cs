using System;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// A token held by a <see cref="TokenSlot"/>, the credential that made it (null for a kept token
    /// taken without loading the profile: an API key's, never refreshed), and its copy labelled "from the cache".
    /// </summary>
    internal sealed record CachedToken(IcaToken Fresh, IcaCredential? Credential)
    {
        public IcaToken FromCache { get; } = Fresh.AsCached();

        public DateTimeOffset RefreshAt => Fresh.RefreshAt;

        public DateTimeOffset ExpiresOn => Fresh.Claims.ExpiresOn;

        /// <summary>Only tokens minted with Basic authentication can be refreshed; API-key tokens cannot.</summary>
        public bool Refreshable => Credential is BasicCredential;
    }
}
