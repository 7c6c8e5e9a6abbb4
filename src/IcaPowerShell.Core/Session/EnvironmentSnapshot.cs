using System;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// The credentials the environment supplies ($env:ICAV2_ACCESS_TOKEN, $env:ICAV2_X_API_KEY),
    /// parsed once per distinct value: scripts may change them between calls, so they are read
    /// every time, but a value seen before is not parsed again.
    /// </summary>
    internal sealed class EnvironmentSnapshot
    {
        private readonly IEnvironment environment;
        private volatile Parsed<EnvironmentToken>? accessToken;
        private volatile EnvironmentKey? apiKey;

        public EnvironmentSnapshot(IEnvironment environment)
        {
            this.environment = environment;
        }

        public EnvironmentToken? AccessToken()
        {
            var text = environment.Get(EnvironmentVariables.AccessToken);
            if (text == null)
            {
                return null;
            }

            var seen = accessToken;
            if (seen != null && ReferenceEquals(seen.Text, text))
            {
                return seen.Value;
            }

            var serverText = environment.Get(EnvironmentVariables.ServerUrl);
            var server = serverText == null ? ServerAddress.Default : ServerAddress.Parse(serverText, EnvironmentVariables.ServerUrl);
            var parsed = new EnvironmentToken(text.Trim(), JwtClaims.TryParse(text.Trim()), server);
            accessToken = new Parsed<EnvironmentToken>(text, parsed);
            return parsed;
        }

        /// <summary>$env:ICAV2_X_API_KEY with the server of $env:ICAV2_SERVER_URL, or null.</summary>
        public EnvironmentKey? ApiKey()
        {
            var text = environment.Get(EnvironmentVariables.ApiKey);
            if (text == null)
            {
                return null;
            }

            var serverText = environment.Get(EnvironmentVariables.ServerUrl);
            var seen = apiKey;
            if (seen != null && ReferenceEquals(seen.KeyText, text) && ReferenceEquals(seen.ServerText, serverText))
            {
                return seen;
            }

            var server = serverText == null ? null : ServerAddress.Parse(serverText, EnvironmentVariables.ServerUrl);
            var parsed = new EnvironmentKey(text, serverText, new ApiKeyCredential(SecretText.ToSecureString(text.Trim())), server);
            apiKey = parsed;
            return parsed;
        }

        private sealed class Parsed<T>
        {
            public Parsed(string text, T value)
            {
                Text = text;
                Value = value;
            }

            public string Text { get; }

            public T Value { get; }
        }
    }

    /// <summary>The API key (and server) the environment supplies, with the cache slot its tokens go to.</summary>
    internal sealed class EnvironmentKey
    {
        public EnvironmentKey(string keyText, string? serverText, ApiKeyCredential credential, ServerAddress? server)
        {
            KeyText = keyText;
            ServerText = serverText;
            Credential = credential;
            Server = server;
        }

        public string KeyText { get; }

        public string? ServerText { get; }

        public ApiKeyCredential Credential { get; }

        /// <summary>From $env:ICAV2_SERVER_URL; null when it is not set.</summary>
        public ServerAddress? Server { get; }

        /// <summary>Set by the session on first use, so the warm path finds the slot without building its key.</summary>
        public TokenSlot? Slot { get; set; }
    }

    /// <summary>A token supplied by $env:ICAV2_ACCESS_TOKEN: used as it is while it lives.</summary>
    internal sealed class EnvironmentToken
    {
        private readonly JwtClaims? claims;
        private readonly IcaToken? token;

        public EnvironmentToken(string jwt, JwtClaims? claims, ServerAddress server)
        {
            this.claims = claims;
            token = claims == null ? null : new IcaToken(jwt, claims, server.Display, null, IcaTokenSource.Environment, claims.ExpiresOn);
        }

        public IcaToken Use(DateTimeOffset now, Action<string>? verbose)
        {
            if (token == null || claims == null)
            {
                throw new IcaException(
                    ErrorIds.EnvironmentTokenInvalid,
                    IcaErrorKind.InvalidData,
                    $"$env:{EnvironmentVariables.AccessToken} is set but does not hold a JWT with an expiry (exp). Set it to a token from Get-IcaToken -AsPlainText, or remove it to use $env:{EnvironmentVariables.ApiKey} or a profile.",
                    EnvironmentVariables.AccessToken);
            }

            if (now >= claims.ExpiresOn)
            {
                throw new IcaException(
                    ErrorIds.EnvironmentTokenExpired,
                    IcaErrorKind.AuthenticationError,
                    $"The token in $env:{EnvironmentVariables.AccessToken} expired at {claims.ExpiresOn:u}. Set a new one, or remove the variable so that Get-IcaToken mints one from $env:{EnvironmentVariables.ApiKey} or a profile.",
                    EnvironmentVariables.AccessToken);
            }

            verbose?.Invoke($"Using the token in $env:{EnvironmentVariables.AccessToken} (expires {claims.ExpiresOn:u}).");
            return token;
        }
    }
}
