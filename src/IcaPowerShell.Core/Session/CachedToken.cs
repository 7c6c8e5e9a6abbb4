using System;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// A token held by a <see cref="TokenSlot"/>: the object handed out when it is fresh from the
    /// server, the one handed out from the cache (built once, so a warm call allocates nothing),
    /// and what is needed to renew it.
    /// </summary>
    internal sealed class CachedToken
    {
        public CachedToken(IcaToken fresh, IcaCredential credential)
        {
            Fresh = fresh;
            FromCache = fresh.AsCached();
            Credential = credential;
        }

        public IcaToken Fresh { get; }

        public IcaToken FromCache { get; }

        public IcaCredential Credential { get; }

        public DateTimeOffset RefreshAt => Fresh.RefreshAt;

        public DateTimeOffset ExpiresOn => Fresh.Claims.ExpiresOn;

        /// <summary>Only tokens minted with Basic authentication can be refreshed; API-key tokens cannot.</summary>
        public bool Refreshable => Credential is BasicCredential;
    }
}
