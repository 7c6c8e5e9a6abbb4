using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// The state of one runspace: profile stores, decrypted profiles and cached tokens. A warm
    /// Get-IcaToken is a dictionary lookup and a clock comparison; a cold one resolves the
    /// credential (parameters, then environment, then profile) and mints once, however many
    /// callers are waiting.
    /// </summary>
    public sealed class IcaSession
    {
        private readonly IcaSessionOptions options;
        private readonly ConcurrentDictionary<string, ProfileStore> stores = new ConcurrentDictionary<string, ProfileStore>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TokenSlot>> profileSlots = new ConcurrentDictionary<string, ConcurrentDictionary<string, TokenSlot>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, TokenSlot> credentialSlots = new ConcurrentDictionary<string, TokenSlot>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, LoadedProfile> loadedProfiles = new ConcurrentDictionary<string, LoadedProfile>(StringComparer.Ordinal);
        private readonly EnvironmentSnapshot environmentSources;
        private DefaultPath? defaultPath;

        public IcaSession(IcaSessionOptions? options = null)
        {
            this.options = options ?? new IcaSessionOptions();
            environmentSources = new EnvironmentSnapshot(this.options.Environment);
        }

        public IcaSessionOptions Options => options;

        /// <summary>The store for -Path, or for the environment's or the default path.</summary>
        public ProfileStore OpenStore(string? path)
        {
            var resolved = ResolvePath(path);
            return stores.GetOrAdd(resolved, p => new ProfileStore(
                p,
                new SecretProtection(ProfileLocation.KeyFilePath(p), options.Environment, allowDpapi: options.AllowDpapi),
                options.LockTimeout));
        }

        /// <summary>Drops what the session holds for a profile (or for every profile of the file when null).</summary>
        public void Forget(string? path, string? profile)
        {
            var resolved = ResolvePath(path);
            if (profileSlots.TryGetValue(resolved, out var slots))
            {
                foreach (var entry in slots)
                {
                    if (profile == null || entry.Key == profile)
                    {
                        entry.Value.Clear();
                    }
                }
            }

            foreach (var key in loadedProfiles.Keys)
            {
                if (key.StartsWith(resolved + "\n", StringComparison.Ordinal) && (profile == null || key == resolved + "\n" + profile))
                {
                    loadedProfiles.TryRemove(key, out _);
                }
            }
        }

        /// <summary>Get-IcaToken's path: synchronous, and allocation-free while the cached token is fresh.</summary>
        public IcaToken GetToken(TokenRequest request, CancellationToken cancellationToken = default) =>
            TryGetWithoutRequest(request, out var staleSlot) ?? GetColdAsync(request, staleSlot, cancellationToken).GetAwaiter().GetResult();

        public Task<IcaToken> GetTokenAsync(TokenRequest request, CancellationToken cancellationToken = default)
        {
            var ready = TryGetWithoutRequest(request, out var staleSlot);
            return ready != null ? Task.FromResult(ready) : GetColdAsync(request, staleSlot, cancellationToken);
        }

        /// <summary>No fresh token: join the mint under way for the stale slot, or resolve the source and mint.</summary>
        private async Task<IcaToken> GetColdAsync(TokenRequest request, TokenSlot? staleSlot, CancellationToken cancellationToken)
        {
            if (staleSlot?.InFlight is Task<CachedToken> underWay)
            {
                try
                {
                    return (await underWay.ConfigureAwait(false)).Fresh;
                }
                catch (IcaException ex) when (StillValidAfterFailure(staleSlot, null) is CachedToken stillValid)
                {
                    Log(request, $"Could not renew the token ({ex.ErrorId}); the cached one is valid until {stillValid.ExpiresOn:u}, so it is used.");
                    return stillValid.FromCache;
                }
            }

            var source = ResolveSource(request);
            return await Renew(source, request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// A token that needs no request: $env:ICAV2_ACCESS_TOKEN, or a fresh cached one. When the
        /// cached one is stale, its slot is handed back, so the caller can join a mint under way.
        /// </summary>
        private IcaToken? TryGetWithoutRequest(TokenRequest request, out TokenSlot? underWay)
        {
            underWay = null;
            if (request.Credential != null)
            {
                return request.Force || request.ServerUrl != null ? null : FreshIn(CredentialSlotIfAny(request.Credential), out underWay);
            }

            if (environmentSources.AccessToken() is EnvironmentToken fromEnvironment)
            {
                return fromEnvironment.Use(options.Clock.UtcNow, request.Verbose ?? options.Http.Verbose);
            }

            if (request.Force || request.ServerUrl != null)
            {
                return null;
            }

            if (environmentSources.ApiKey() is EnvironmentKey environmentKey)
            {
                return FreshIn(environmentKey.Slot, out underWay);
            }

            var path = ResolvePath(request.Path);
            var name = request.Profile ?? options.Environment.Get(EnvironmentVariables.Profile) ?? ProfileName.Default;
            return profileSlots.TryGetValue(path, out var slots) && slots.TryGetValue(name, out var slot) ? FreshIn(slot, out underWay) : null;
        }

        private IcaToken? FreshIn(TokenSlot? slot, out TokenSlot? stale)
        {
            stale = null;
            if (slot == null)
            {
                return null;
            }

            if (slot.TryGetFresh(options.Clock.UtcNow, out var token))
            {
                return token.FromCache;
            }

            stale = slot;
            return null;
        }

        /// <summary>
        /// Renewal starts minutes before exp; a failed renewal must not break a caller whose current
        /// token still works (for 30 s more at least). Null when there is no such token.
        /// </summary>
        private CachedToken? StillValidAfterFailure(TokenSlot? slot, IcaCredential? credential) =>
            slot?.Current is CachedToken held
            && (credential == null || held.Credential.SameAs(credential))
            && options.Clock.UtcNow < held.ExpiresOn - TimeSpan.FromSeconds(30)
                ? held
                : null;

        private TokenSlot? CredentialSlotIfAny(IcaCredential credential)
        {
            var server = EnvironmentServer() ?? ServerAddress.Default;
            return credentialSlots.TryGetValue(CredentialSlotKey(server, credential), out var slot) ? slot : null;
        }

        private TokenSource ResolveSource(TokenRequest request)
        {
            var explicitServer = request.ServerUrl == null ? null : ServerAddress.Parse(request.ServerUrl);
            if (request.Credential != null)
            {
                var server = explicitServer ?? EnvironmentServer() ?? ServerAddress.Default;
                return new TokenSource(server, request.Credential, CredentialSlot(server, request.Credential), profile: null);
            }

            if (environmentSources.ApiKey() is EnvironmentKey environmentKey)
            {
                Log(request, $"Using the API key in $env:{EnvironmentVariables.ApiKey}.");
                if (environmentKey.Server == null && explicitServer != null)
                {
                    return new TokenSource(explicitServer, environmentKey.Credential, CredentialSlot(explicitServer, environmentKey.Credential), profile: null);
                }

                var server = environmentKey.Server ?? ServerAddress.Default;
                // The slot lives on the parsed variable itself: no fingerprint, no shared key.
                var keySlot = environmentKey.Slot ?? (environmentKey.Slot = new TokenSlot());
                return new TokenSource(server, environmentKey.Credential, keySlot, profile: null);
            }

            var path = ResolvePath(request.Path);
            var name = request.Profile != null
                ? ProfileName.Validate(request.Profile)
                : ProfileName.Validate(options.Environment.Get(EnvironmentVariables.Profile) ?? ProfileName.Default, EnvironmentVariables.Profile);
            var loaded = LoadProfile(path, name, request.Verbose);
            if (explicitServer != null && !explicitServer.Equals(loaded.Profile.Server))
            {
                return new TokenSource(explicitServer, loaded.Credential, CredentialSlot(explicitServer, loaded.Credential), name);
            }

            var slot = profileSlots.GetOrAdd(path, _ => new ConcurrentDictionary<string, TokenSlot>(StringComparer.Ordinal)).GetOrAdd(name, _ => new TokenSlot());
            return new TokenSource(loaded.Profile.Server, loaded.Credential, slot, name);
        }

        private async Task<IcaToken> Renew(TokenSource source, TokenRequest request, CancellationToken cancellationToken)
        {
            var now = options.Clock.UtcNow;
            if (!request.Force && source.Slot.TryGetFresh(now, out var fresh) && fresh.Credential.SameAs(source.Credential))
            {
                return fresh.FromCache;
            }

            var client = new IcaTokenClient(options.Http.ForCall(options.Environment, request.Proxy, request.Verbose));
            try
            {
                var renewed = await source.Slot.RenewAsync(previous => MintAsync(client, source, previous, cancellationToken)).ConfigureAwait(false);
                return renewed.Fresh;
            }
            catch (IcaException ex) when (!request.Force && StillValidAfterFailure(source.Slot, source.Credential) is CachedToken stillValid)
            {
                Log(request, $"Could not renew the token ({ex.ErrorId}); the cached one is valid until {stillValid.ExpiresOn:u}, so it is used.");
                return stillValid.FromCache;
            }
        }

        private async Task<CachedToken> MintAsync(IcaTokenClient client, TokenSource source, CachedToken? previous, CancellationToken cancellationToken)
        {
            var now = options.Clock.UtcNow;
            if (previous != null && previous.Refreshable && previous.Credential.SameAs(source.Credential) && now < previous.ExpiresOn)
            {
                try
                {
                    var refreshed = await client.RefreshTokenAsync(source.Server, previous.Fresh.ToPlainText(), cancellationToken).ConfigureAwait(false);
                    return Wrap(refreshed, source, IcaTokenSource.Refreshed);
                }
                catch (IcaException ex) when (ex.Kind == IcaErrorKind.AuthenticationError)
                {
                    client.Options.Verbose?.Invoke("The refresh was refused; minting a new token instead.");
                }
            }

            var minted = await client.CreateTokenAsync(source.Server, source.Credential, cancellationToken).ConfigureAwait(false);
            return Wrap(minted, source, IcaTokenSource.Minted);
        }

        private CachedToken Wrap(MintedJwt minted, TokenSource source, IcaTokenSource how)
        {
            if (minted.Claims.ExpiresOn <= options.Clock.UtcNow)
            {
                // Handing it out would fail the caller's next request, and minting again would loop.
                throw new IcaException(
                    ErrorIds.TokenExpiredOnArrival,
                    IcaErrorKind.InvalidData,
                    $"{source.Server.Display} returned a token that had already expired (exp {minted.Claims.ExpiresOn:u}, this machine's clock says {options.Clock.UtcNow:u}). Check this machine's clock, and that the server URL points at ICA.",
                    source.Server.Display);
            }

            var refreshAt = RefreshPolicy.RefreshAt(minted.Claims, options.Clock.UtcNow, options.RefreshMargin);
            var token = new IcaToken(minted.Jwt, minted.Claims, source.Server.Display, source.Profile, how, refreshAt);
            return new CachedToken(token, source.Credential);
        }

        private LoadedProfile LoadProfile(string path, string name, Action<string>? verbose)
        {
            var store = OpenStore(path);
            var stamp = store.Stamp();
            var key = path + "\n" + name;
            if (loadedProfiles.TryGetValue(key, out var loaded) && loaded.Stamp.Equals(stamp))
            {
                return loaded;
            }

            verbose?.Invoke($"Loading profile '{name}' from '{path}'.");
            var profile = store.Find(name) ?? throw new IcaException(
                ErrorIds.ProfileNotFound,
                IcaErrorKind.ObjectNotFound,
                $"There is no profile '{name}' in '{path}'. Create it with Set-IcaConfig -Profile {name} -ApiKey (Read-Host -AsSecureString 'API key'), pass -ApiKey, or set $env:{EnvironmentVariables.ApiKey}.",
                name);
            if (!profile.HasApiKey)
            {
                throw new IcaException(
                    ErrorIds.ApiKeyRequired,
                    IcaErrorKind.ObjectNotFound,
                    $"Profile '{name}' in '{path}' has no API key. Store one with Set-IcaConfig -Profile {name} -ApiKey (Read-Host -AsSecureString 'API key').",
                    name);
            }

            loaded = new LoadedProfile(stamp, profile, new ApiKeyCredential(store.ReadApiKey(profile)));
            loadedProfiles[key] = loaded;
            return loaded;
        }

        private void Log(TokenRequest request, string line) => (request.Verbose ?? options.Http.Verbose)?.Invoke(line);

        private TokenSlot CredentialSlot(ServerAddress server, IcaCredential credential) =>
            credentialSlots.GetOrAdd(CredentialSlotKey(server, credential), _ => new TokenSlot());

        private static string CredentialSlotKey(ServerAddress server, IcaCredential credential) =>
            server.BaseUri.AbsoluteUri + "\n" + credential.Fingerprint;

        private ServerAddress? EnvironmentServer()
        {
            var text = options.Environment.Get(EnvironmentVariables.ServerUrl);
            return text == null ? null : ServerAddress.Parse(text, EnvironmentVariables.ServerUrl);
        }

        /// <summary>Resolves the profile path, remembering the default so the warm path does not rebuild it.</summary>
        private string ResolvePath(string? path)
        {
            if (path != null)
            {
                return ProfileLocation.Resolve(path, options.Environment, null);
            }

            var fromEnvironment = options.Environment.Get(EnvironmentVariables.ConfigPath);
            var cached = defaultPath;
            if (cached != null && ReferenceEquals(cached.EnvironmentValue, fromEnvironment))
            {
                return cached.Path;
            }

            var resolved = ProfileLocation.Resolve(null, options.Environment, fromEnvironment == null ? options.HomeFolder() : null);
            defaultPath = new DefaultPath(fromEnvironment, resolved);
            return resolved;
        }

        private sealed class DefaultPath
        {
            public DefaultPath(string? environmentValue, string path)
            {
                EnvironmentValue = environmentValue;
                Path = path;
            }

            public string? EnvironmentValue { get; }

            public string Path { get; }
        }

        private sealed class LoadedProfile
        {
            public LoadedProfile(FileStamp stamp, IcaProfile profile, ApiKeyCredential credential)
            {
                Stamp = stamp;
                Profile = profile;
                Credential = credential;
            }

            public FileStamp Stamp { get; }

            public IcaProfile Profile { get; }

            public ApiKeyCredential Credential { get; }
        }

        private sealed class TokenSource
        {
            public TokenSource(ServerAddress server, IcaCredential credential, TokenSlot slot, string? profile)
            {
                Server = server;
                Credential = credential;
                Slot = slot;
                Profile = profile;
            }

            public ServerAddress Server { get; }

            public IcaCredential Credential { get; }

            public TokenSlot Slot { get; }

            public string? Profile { get; }
        }
    }
}
