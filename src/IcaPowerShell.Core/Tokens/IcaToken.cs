using System;
using System.Security;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>Where a token handed out by Get-IcaToken came from.</summary>
    public enum IcaTokenSource
    {
        /// <summary>Minted just now with an API key or a credential.</summary>
        Minted,

        /// <summary>Returned from this runspace's cache without a request.</summary>
        Cache,

        /// <summary>Extended through tokens:refresh (Basic-authentication tokens only).</summary>
        Refreshed,

        /// <summary>Taken from $env:ICAV2_ACCESS_TOKEN.</summary>
        Environment,

        /// <summary>Taken from the profile's kept token file, where another process or runspace put it.</summary>
        Kept,
    }

    /// <summary>
    /// A JWT for the ICA REST API, as Get-IcaToken returns it. The token is a read-only
    /// SecureString, ready for Invoke-RestMethod -Authentication Bearer -Token; ToString and every
    /// property but Token are safe to print.
    /// </summary>
    public sealed class IcaToken
    {
        private readonly string jwt;

        internal IcaToken(string jwt, JwtClaims claims, string serverUrl, string? profile, string? profilePath, IcaTokenSource source, DateTimeOffset refreshAt)
        {
            this.jwt = jwt;
            Token = Protection.SecretText.ToSecureString(jwt);
            // Local time with its kind: arithmetic and comparisons with Get-Date, New-TimeSpan and
            // ConvertTo-Json (which writes the offset) are right in any time zone. A UTC DateTime
            // would be taken for local time by Get-Date arithmetic; a DateTimeOffset cannot be
            // compared with Get-Date's DateTime in PowerShell at all.
            ExpiresOn = claims.ExpiresOn.LocalDateTime;
            ServerUrl = serverUrl;
            Profile = profile;
            ProfilePath = profilePath;
            Tenant = claims.Tenant;
            Origin = source;
            RefreshAt = refreshAt;
            Claims = claims;
        }

        public SecureString Token { get; }

        /// <summary>When ICA stops accepting the token, in this machine's local time (Kind = Local); .ToUniversalTime() for UTC.</summary>
        public DateTime ExpiresOn { get; }

        public string ServerUrl { get; }

        public string? Profile { get; }

        /// <summary>
        /// The profile file the token's profile is in (null for a token from parameters or the
        /// environment): piped into Get-IcaToken or Set-IcaContext, it binds -Path, so the profile is
        /// taken from its own file and not from the default one that may hold a profile of the same name.
        /// </summary>
        public string? ProfilePath { get; }

        /// <summary>The tenant name from the token's 'tns' claim.</summary>
        public string? Tenant { get; }

        /// <summary>Where the token came from: Minted, Cache, Refreshed, Environment or Kept (text, so that it reads the same in JSON).</summary>
        public string Source => Origin.ToString();

        /// <summary>The same as <see cref="Source"/>, as the enum.</summary>
        internal IcaTokenSource Origin { get; }

        /// <summary>The session mints a new token from this moment on (the refresh margin before ExpiresOn).</summary>
        internal DateTimeOffset RefreshAt { get; }

        internal JwtClaims Claims { get; }

        /// <summary>The JWT text, for -AsPlainText and Windows PowerShell 5.1's header dictionaries.</summary>
        public string ToPlainText() => jwt;

        /// <summary>The same token, labelled as coming from the cache.</summary>
        internal IcaToken AsCached() => new IcaToken(jwt, Claims, ServerUrl, Profile, ProfilePath, IcaTokenSource.Cache, RefreshAt);

        public override string ToString() => $"ICA token for {ServerUrl}, expires {Claims.ExpiresOn:u}";
    }
}
