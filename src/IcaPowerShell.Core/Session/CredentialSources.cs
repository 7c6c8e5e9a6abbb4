using System;
using System.Collections.Concurrent;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// Where a token comes from: a ready one, or what to mint with (a server and a credential,
    /// loaded only when a mint is due) and the cache slot its tokens share.
    /// </summary>
    internal sealed record TokenSource(string SlotKey, string? Profile, IcaToken? Ready, Func<Credentials>? Load)
    {
        /// <summary>The profile file, for a token minted with a stored profile's key (the only kind kept across processes).</summary>
        public string? ProfilePath { get; init; }

        /// <summary>
        /// For a profile: what its credential is bound to now, read without parsing the file or
        /// decrypting the key (null when the file cannot be trusted without a full load).
        /// </summary>
        public Func<ProfileBinding?>? CurrentBinding { get; init; }

        public static TokenSource FromCredential(ServerAddress server, IcaCredential credential) =>
            new($"credential\n{server.BaseUri}\n{credential.Fingerprint}", null, null, () => new Credentials(server, credential));
    }

    /// <summary>A server and a credential; for a profile, also what it was loaded from (see <see cref="ProfileBinding"/>).</summary>
    internal sealed record Credentials(ServerAddress Server, IcaCredential Credential, ProfileBinding? Binding = null)
    {
        public void Deconstruct(out ServerAddress server, out IcaCredential credential)
        {
            server = Server;
            credential = Credential;
        }
    }

    /// <summary>
    /// Turns the row of <see cref="CredentialPrecedence"/> that applies into a token source. The
    /// environment is read at every call (a script may change it between calls); what was parsed
    /// from a value is kept until the value changes.
    /// </summary>
    internal sealed class CredentialSources
    {
        private readonly IcaSessionOptions options;
        private readonly Func<string?, ProfileStore> openStore;
        private readonly Action<string> log;
        private readonly Memo<string, ServerAddress> environmentServer = new Memo<string, ServerAddress>();
        private readonly Memo<(string Jwt, ServerAddress Server), Func<DateTimeOffset, IcaToken>> accessToken = new Memo<(string Jwt, ServerAddress Server), Func<DateTimeOffset, IcaToken>>();
        private readonly Memo<string, ApiKeyCredential> environmentKey = new Memo<string, ApiKeyCredential>();
        private readonly Memo<(string Name, bool Given), string> profileName = new Memo<(string Name, bool Given), string>();
        private readonly Memo<(string Path, string Name, ServerAddress? Given), string> profileSlot = new Memo<(string Path, string Name, ServerAddress? Given), string>();
        private readonly ConcurrentDictionary<string, Memo<FileStamp, (Credentials, byte[])>> profiles = new ConcurrentDictionary<string, Memo<FileStamp, (Credentials, byte[])>>(StringComparer.Ordinal);

        public CredentialSources(IcaSessionOptions options, Func<string?, ProfileStore> openStore, Action<string> log)
        {
            this.options = options;
            this.openStore = openStore;
            this.log = log;
        }

        public TokenSource Resolve(TokenRequest request)
        {
            var given = request.ServerUrl == null ? null : ServerAddress.Parse(request.ServerUrl);
            switch (CredentialPrecedence.Select(request, options.Environment))
            {
                case CredentialSourceKind.Parameters:
                    return TokenSource.FromCredential(given ?? EnvironmentServer() ?? ServerAddress.Default, request.Credential!);

                case CredentialSourceKind.EnvironmentToken:
                    var server = EnvironmentServer() ?? ServerAddress.Default;
                    if (given != null && !given.Equals(server))
                    {
                        throw TokenForAnotherServer(server, given);
                    }

                    // Keyed by the token and its server: a changed ICAV2_SERVER_URL is obeyed.
                    var use = accessToken.Get((Get(EnvironmentVariables.AccessToken)!, server), k => EnvironmentToken(k.Jwt.Trim(), k.Server));
                    return new TokenSource(string.Empty, null, use(options.Clock.UtcNow), null);

                case CredentialSourceKind.EnvironmentKey:
                    var credential = environmentKey.Get(Get(EnvironmentVariables.ApiKey)!, text => new ApiKeyCredential(SecretText.ToSecureString(text.Trim())));
                    var source = TokenSource.FromCredential(given ?? EnvironmentServer() ?? ServerAddress.Default, credential);
                    return source with { Load = () => { log($"Using the API key in $env:{EnvironmentVariables.ApiKey}."); return source.Load!(); } };

                default:
                    return ProfileSource(request, given);
            }
        }

        private TokenSource ProfileSource(TokenRequest request, ServerAddress? given)
        {
            var path = openStore(request.Path).Path;
            var name = profileName.Get(
                (request.Profile ?? Get(EnvironmentVariables.Profile) ?? ProfileName.Default, request.Profile != null),
                n => ProfileName.Validate(n.Name, n.Given ? "Profile" : EnvironmentVariables.Profile));
            var slotKey = profileSlot.Get((path, name, given), k => ProfileSlotKey(k.Path, k.Name) + k.Given?.BaseUri);
            return new TokenSource(slotKey, name, null, () =>
            {
                var (loaded, fileBytes) = LoadProfile(request.Path, path, name);
                return new Credentials(given ?? loaded.Server, loaded.Credential, new ProfileBinding(path, name, given, fileBytes));
            })
            {
                ProfilePath = path,
                CurrentBinding = () => openStore(request.Path).ReadBytesIfPrivate() is byte[] now ? new ProfileBinding(path, name, given, now) : null,
            };
        }

        private static IcaException TokenForAnotherServer(ServerAddress tokenServer, ServerAddress given) => new IcaException(
            ErrorIds.EnvironmentTokenOtherServer,
            IcaErrorKind.InvalidArgument,
            $"$env:{EnvironmentVariables.AccessToken} holds a token for {tokenServer.Display} (from $env:{EnvironmentVariables.ServerUrl}, else the default), and -ServerUrl asks for {given.Display}; the token is never sent to another server than its own. Pass -Profile or -ApiKey for {given.Display}, set $env:{EnvironmentVariables.ServerUrl} to the token's server, or remove $env:{EnvironmentVariables.AccessToken}.",
            "ServerUrl");

        /// <summary>The prefix of every slot key of a profile (of all the file's profiles when NAME is null).</summary>
        public static string ProfileSlotKey(string path, string? name) => $"profile\n{Files.PathKey.For(path)}\n" + (name == null ? string.Empty : name + "\n");

        /// <summary>Drops what was loaded from a profile file (one profile, or all when NAME is null).</summary>
        public void Forget(string path, string? name)
        {
            foreach (var key in profiles.Keys)
            {
                if (key.StartsWith(ProfileSlotKey(path, name), StringComparison.Ordinal))
                {
                    profiles.TryRemove(key, out _);
                }
            }
        }

        /// <summary>The profile's server and key, and the exact file bytes they were read from.</summary>
        private (Credentials Loaded, byte[] FileBytes) LoadProfile(string? requestedPath, string path, string name)
        {
            var store = openStore(requestedPath);
            var memo = profiles.GetOrAdd(ProfileSlotKey(path, name), _ => new Memo<FileStamp, (Credentials, byte[])>());
            return memo.Get(store.Stamp(), _ =>
            {
                log($"Loading profile '{name}' from '{path}'.");
                var profile = store.Find(name, out var fileBytes) ?? throw store.ProfileNotFound(
                    name,
                    $"Create it with Set-IcaConfig -Profile {name} -ApiKey (Read-Host -AsSecureString 'API key'), or pass -ApiKey.");
                if (!profile.HasApiKey)
                {
                    throw new IcaException(
                        ErrorIds.ApiKeyRequired,
                        IcaErrorKind.ObjectNotFound,
                        $"Profile '{name}' in '{path}' has no API key. Store one with Set-IcaConfig -Profile {name} -ApiKey (Read-Host -AsSecureString 'API key').",
                        name);
                }

                return (new Credentials(profile.Server, new ApiKeyCredential(store.ReadApiKey(profile))), fileBytes!);
            });
        }

        private Func<DateTimeOffset, IcaToken> EnvironmentToken(string jwt, ServerAddress server)
        {
            var claims = JwtClaims.TryParse(jwt) ?? throw new IcaException(
                ErrorIds.EnvironmentTokenInvalid,
                IcaErrorKind.InvalidData,
                $"$env:{EnvironmentVariables.AccessToken} is set but does not hold a JWT with an expiry (exp). Set it to a token from Get-IcaToken -AsPlainText, or remove it to use $env:{EnvironmentVariables.ApiKey} or a profile.",
                EnvironmentVariables.AccessToken);
            var token = new IcaToken(jwt, claims, server.Display, null, null, IcaTokenSource.Environment, claims.ExpiresOn);
            return now => now < claims.ExpiresOn ? token : throw new IcaException(
                ErrorIds.EnvironmentTokenExpired,
                IcaErrorKind.AuthenticationError,
                $"The token in $env:{EnvironmentVariables.AccessToken} expired at {claims.ExpiresOn:u}. Set a new one, or remove the variable so that Get-IcaToken mints one from $env:{EnvironmentVariables.ApiKey} or a profile.",
                EnvironmentVariables.AccessToken);
        }

        private ServerAddress? EnvironmentServer() =>
            Get(EnvironmentVariables.ServerUrl) is string text ? environmentServer.Get(text, t => ServerAddress.Parse(t, EnvironmentVariables.ServerUrl)) : null;

        private string? Get(string name) => options.Environment.Get(name);
    }
}
