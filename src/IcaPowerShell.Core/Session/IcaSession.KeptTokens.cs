using System;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>Which kept token file serves a token source (see <see cref="KeptTokenFile"/>).</summary>
    public sealed partial class IcaSession
    {
        /// <summary>
        /// The kept token file for SOURCE: a profile's own, or with ICAPOWERSHELL_KEEP_TOKENS=all one
        /// slot beside the default profile file for -ApiKey, -Credential and $env:ICAV2_X_API_KEY
        /// (checked against the credential like any kept token). Null when keeping is off, and for
        /// $env:ICAV2_ACCESS_TOKEN, which is not ours to keep.
        /// </summary>
        private KeptTokenFile? KeptTokens(TokenSource source)
        {
            var setting = options.Environment.Get(Configuration.EnvironmentVariables.KeepTokens)?.Trim();
            if (!Configuration.Switches.IsKnown(setting) && !string.Equals(setting, KeepAllTokens, StringComparison.OrdinalIgnoreCase))
            {
                // Someone meant something by it ("none"?): keeping is the less private choice, so not without knowing.
                if (setting != unknownKeepSetting)
                {
                    unknownKeepSetting = setting;
                    Diagnostics.EngineLog.Warning($"$env:{Configuration.EnvironmentVariables.KeepTokens} is '{Shown.Value(setting!, 20)}', which is none of 0/off/false/no, 1/on/true/yes or all: tokens are kept in this runspace only. Set it to one of those, or remove it for the default (profile tokens are kept).");
                }

                return null;
            }

            if (source.Ready != null || !Configuration.Switches.IsOn(setting, whenUnset: true))
            {
                return null;
            }

            if (source.ProfilePath != null && source.Profile != null)
            {
                return new KeptTokenFile(source.ProfilePath, source.Profile, OpenStore(source.ProfilePath).Protection, Log);
            }

            if (!string.Equals(setting, KeepAllTokens, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            try
            {
                var store = OpenStore(null);
                store.EnsureFolder();
                return new KeptTokenFile(store.Path, CredentialSlot, store.Protection, Log);
            }
            catch (IcaException ex)
            {
                // No profile folder (a runbook without a home): keep it in memory, as without the opt-in.
                Log($"The token is kept in this runspace only: {ex.Message}");
                return null;
            }
        }

        /// <summary>
        /// -Force with keeping off: the profile's kept token (from a process that kept it) is the one the
        /// user wanted replaced, so it is removed rather than left for the next process to take.
        /// </summary>
        private void ForgetKept(TokenSource source)
        {
            if (source.Ready == null && source.ProfilePath != null && source.Profile != null && OpenStore(source.ProfilePath).RemoveKeptToken(source.Profile))
            {
                Log($"Keeping is off and -Force asked for a new token: removed the token kept in '{Profiles.ProfileLocation.KeptTokenPath(source.ProfilePath, source.Profile)}'.");
            }
        }

        private string? unknownKeepSetting;

        /// <summary>ICAPOWERSHELL_KEEP_TOKENS=all: also keep tokens of credentials given by parameter or environment.</summary>
        private const string KeepAllTokens = "all";

        /// <summary>The kept-token name of those credentials' one slot; '@' is never in a profile name.</summary>
        private const string CredentialSlot = "@credential";

        /// <summary>
        /// A kept token was minted, by another process, with CREDENTIAL: the server knows its key (or
        /// password), so it is cut from what this session writes as if this session had sent it.
        /// </summary>
        private void KnownToServer(IcaCredential credential)
        {
            if (credential is BasicCredential basic)
            {
                options.Http.Secrets.AddBasic(basic.UserName, Protection.SecretText.ToPlainText(basic.Password));
            }
            else
            {
                options.Http.Secrets.Add(SecretOf(credential));
            }
        }

        private static string? SecretOf(IcaCredential credential) =>
            credential is ApiKeyCredential apiKey ? Protection.SecretText.ToPlainText(apiKey.ApiKey) : null;

        /// <summary>TOKEN when a caller could use it now without renewing it; else null.</summary>
        private Http.MintedJwt? Fresh(Http.MintedJwt? token)
        {
            var now = options.Clock.UtcNow;
            return token != null && now < RefreshPolicy.RefreshAt(token.Claims, now, options.RefreshMargin) ? token : null;
        }
    }
}
