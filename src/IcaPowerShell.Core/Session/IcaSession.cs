using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Diagnostics;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// The state of one runspace: its profile stores and its cached tokens. Getting a token is
    /// three steps: resolve where it comes from (<see cref="CredentialSources"/>), return the
    /// cached one while it is fresh, else renew it, once however many callers are waiting.
    /// </summary>
    public sealed class IcaSession
    {
        private readonly IcaSessionOptions options;
        private readonly CredentialSources sources;
        private readonly ConcurrentDictionary<string, ProfileStore> stores = new ConcurrentDictionary<string, ProfileStore>(Files.PathKey.Comparer);
        private readonly ConcurrentDictionary<string, TokenSlot> slots = new ConcurrentDictionary<string, TokenSlot>(StringComparer.Ordinal);
        private readonly Memo<string?, string> defaultPath = new Memo<string?, string>();

        public IcaSession(IcaSessionOptions? options = null)
        {
            this.options = options ?? new IcaSessionOptions();
            sources = new CredentialSources(this.options, OpenStore, Log);
        }

        public IcaSessionOptions Options => options;

        /// <summary>What Set-IcaContext chose for this runspace.</summary>
        public IcaContextChoice Context { get; private set; } = IcaContextChoice.None;

        /// <summary>The project that fills {projectId}: the context's, else $env:ICAV2_PROJECT_ID; null when neither is set.</summary>
        public (string Id, string From)? Project =>
            Context.ProjectId != null ? (Context.ProjectId, "Set-IcaContext")
            : options.Environment.Get(Configuration.EnvironmentVariables.ProjectId) is string fromEnvironment && fromEnvironment.Trim().Length > 0 ? (fromEnvironment.Trim(), "$env:" + Configuration.EnvironmentVariables.ProjectId)
            : ((string, string)?)null;

        public void SetContext(IcaContextChoice choice) => Context = choice;

        /// <summary>
        /// Forgets the context and every token this session holds; with KEPTTOKENS also the tokens
        /// kept on disk for the profiles of the context's (or the default) profile file. Profiles stay.
        /// </summary>
        public int ClearContext(bool keptTokens)
        {
            var path = Context.Path;
            Context = IcaContextChoice.None;
            foreach (var slot in slots.Values)
            {
                slot.Clear();
            }

            foreach (var store in stores.Keys)
            {
                sources.Forget(store, null);
            }

            return keptTokens ? OpenStore(path).RemoveKeptTokens() : 0;
        }

        /// <summary>What the next call with REQUEST would use; mints only when MINT is set and no usable token is held.</summary>
        public async Task<IcaContextView> DescribeAsync(TokenRequest request, bool mint, CancellationToken cancellationToken)
        {
            var fromContext = request.Credential == null && request.Profile == null && request.Path == null && (Context.Profile != null || Context.Path != null);
            request = WithContext(request);
            var source = sources.Resolve(request);
            var kind = request.Credential != null ? IcaContextSource.Parameter
                : source.Ready != null ? IcaContextSource.EnvironmentToken
                : source.ProfilePath != null ? IcaContextSource.Profile
                : IcaContextSource.EnvironmentApiKey;
            var project = Project;
            if (source.Ready != null)
            {
                return new IcaContextView(kind, null, null, false, source.Ready.ServerUrl, project?.Id, project?.From, source.Ready, IcaContextTokenState.Environment);
            }

            var (server, credential) = source.Load!();
            var (token, state) = slots.TryGetValue(source.SlotKey, out var slot) && slot.Current is CachedToken held && options.Clock.UtcNow < held.RefreshAt
                ? (held.Fresh, IcaContextTokenState.Memory)
                : KeptTokens(source) is KeptTokenFile kept && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt found
                    ? (Keep(found, server, credential, source.Profile, IcaTokenSource.Kept).Fresh, IcaContextTokenState.Kept)
                    : ((IcaToken?)null, IcaContextTokenState.None);
            if (token == null && mint)
            {
                token = await GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
                state = token.Origin == IcaTokenSource.Kept ? IcaContextTokenState.Kept : IcaContextTokenState.Minted;
            }

            return new IcaContextView(kind, source.Profile, source.ProfilePath, fromContext, server.Display, project?.Id, project?.From, token, state);
        }

        /// <summary>The store for -Path, or for the environment's or the default path.</summary>
        public ProfileStore OpenStore(string? path)
        {
            var resolved = ResolvePath(path);
            return stores.GetOrAdd(resolved, p => new ProfileStore(
                p,
                new SecretProtection(ProfileLocation.KeyFilePath(p), options.Environment, allowDpapi: options.AllowDpapi),
                options.LockTimeout));
        }

        /// <summary>Drops what the session holds for a profile (for every profile of the file when null).</summary>
        public void Forget(string? path, string? profile)
        {
            var resolved = ResolvePath(path);
            sources.Forget(resolved, profile);
            var prefix = CredentialSources.ProfileSlotKey(resolved, profile);
            foreach (var entry in slots)
            {
                if (entry.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    entry.Value.Clear();
                }
            }
        }

        /// <summary>Get-IcaToken's path. No await runs while the cached token is fresh.</summary>
        public IcaToken GetToken(TokenRequest request, CancellationToken cancellationToken = default) =>
            GetTokenAsync(request, cancellationToken).GetAwaiter().GetResult();

        public async Task<IcaToken> GetTokenAsync(TokenRequest request, CancellationToken cancellationToken = default)
        {
            var source = sources.Resolve(WithContext(request));
            if (source.Ready != null)
            {
                return source.Ready;
            }

            var slot = slots.GetOrAdd(source.SlotKey, _ => new TokenSlot());
            if (!request.Force && slot.TryGetFresh(options.Clock.UtcNow, out var fresh))
            {
                return fresh.FromCache;
            }

            try
            {
                var renewed = await slot.RenewAsync(previous => RenewAsync(source, previous, request, cancellationToken)).ConfigureAwait(false);
                return renewed.Fresh;
            }
            catch (IcaException ex) when (!request.Force && ex.Kind != IcaErrorKind.AuthenticationError && StillValid(slot) is CachedToken held)
            {
                // Renewal starts minutes before exp: a server or network failure then must not break
                // a caller whose token still works. A rejected credential is never papered over.
                Log($"Could not renew the token ({ex.ErrorId}); the cached one is valid until {held.ExpiresOn:u}, so it is used.");
                return held.FromCache;
            }
        }

        /// <summary>
        /// Sends an API call with this session's token for CREDENTIALS (the same cache Get-IcaToken
        /// uses), to the server that token is for; MAKECALL builds the call for that server. A 401
        /// gets one new token.
        /// </summary>
        public async Task<System.Net.Http.HttpResponseMessage> SendAsync(TokenRequest credentials, Func<ServerAddress, Rest.RestCall> makeCall, CancellationToken cancellationToken)
        {
            var token = await GetTokenAsync(credentials, cancellationToken).ConfigureAwait(false);
            var call = makeCall(ServerAddress.Parse(token.ServerUrl));
            var client = new Rest.IcaRestClient(options.Http.ForCall(options.Environment, credentials.Proxy, Log));
            return await client.SendAsync(
                call,
                async (renew, ct) => renew ? (await GetTokenAsync(credentials with { Force = true }, ct).ConfigureAwait(false)).ToPlainText() : token.ToPlainText(),
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Takes a profile's token that another process kept, else refreshes a Basic token that still
        /// lives, else mints; runs once per slot at a time, and once per profile across processes
        /// while they can share the kept token file's lock.
        /// </summary>
        private async Task<CachedToken> RenewAsync(TokenSource source, CachedToken? previous, TokenRequest request, CancellationToken cancellationToken)
        {
            var (server, credential) = source.Load!();
            var kept = KeptTokens(source);
            if (kept != null && !request.Force && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt found)
            {
                return Keep(found, server, credential, source.Profile, IcaTokenSource.Kept);
            }

            using (kept?.TryLock(options.KeptTokenWait))
            {
                // Another process may have minted while this one waited for the lock.
                if (kept != null && !request.Force && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt theirs)
                {
                    return Keep(theirs, server, credential, source.Profile, IcaTokenSource.Kept);
                }

                var (renewed, how) = await RefreshOrMintAsync(server, credential, previous, request, cancellationToken).ConfigureAwait(false);
                var held = Keep(renewed, server, credential, source.Profile, how);
                kept?.TryWrite(server, credential, renewed);
                return held;
            }
        }

        private async Task<(Http.MintedJwt Token, IcaTokenSource How)> RefreshOrMintAsync(ServerAddress server, IcaCredential credential, CachedToken? previous, TokenRequest request, CancellationToken cancellationToken)
        {
            var client = new Http.IcaTokenClient(options.Http.ForCall(options.Environment, request.Proxy, Log));
            if (previous != null && previous.Refreshable && previous.Credential.SameAs(credential) && options.Clock.UtcNow < previous.ExpiresOn)
            {
                try
                {
                    return (await client.RefreshTokenAsync(server, previous.Fresh.ToPlainText(), cancellationToken).ConfigureAwait(false), IcaTokenSource.Refreshed);
                }
                catch (IcaException ex) when (ex.Kind == IcaErrorKind.AuthenticationError)
                {
                    Log("The refresh was refused; minting a new token instead.");
                }
            }

            return (await client.CreateTokenAsync(server, credential, cancellationToken).ConfigureAwait(false), IcaTokenSource.Minted);
        }

        /// <summary>The kept token file of a profile's tokens; null for other sources or when ICAPOWERSHELL_KEEP_TOKENS turns it off.</summary>
        /// <summary>
        /// The kept token file for SOURCE: a profile's own, or with ICAPOWERSHELL_KEEP_TOKENS=all one
        /// slot beside the default profile file for -ApiKey, -Credential and $env:ICAV2_X_API_KEY
        /// (checked against the credential like any kept token). Null when keeping is off, and for
        /// $env:ICAV2_ACCESS_TOKEN, which is not ours to keep.
        /// </summary>
        private KeptTokenFile? KeptTokens(TokenSource source)
        {
            var setting = options.Environment.Get(Configuration.EnvironmentVariables.KeepTokens)?.Trim();
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

        /// <summary>ICAPOWERSHELL_KEEP_TOKENS=all: also keep tokens of credentials given by parameter or environment.</summary>
        private const string KeepAllTokens = "all";

        /// <summary>The kept-token name of those credentials' one slot; '@' is never in a profile name.</summary>
        private const string CredentialSlot = "@credential";

        /// <summary>TOKEN when a caller could use it now without renewing it; else null.</summary>
        private Http.MintedJwt? Fresh(Http.MintedJwt? token)
        {
            var now = options.Clock.UtcNow;
            return token != null && now < RefreshPolicy.RefreshAt(token.Claims, now, options.RefreshMargin) ? token : null;
        }

        private CachedToken Keep(Http.MintedJwt minted, ServerAddress server, IcaCredential credential, string? profile, IcaTokenSource how)
        {
            var now = options.Clock.UtcNow;
            if (minted.Claims.ExpiresOn <= now)
            {
                // Handing it out would fail the caller's next request, and minting again would loop.
                throw new IcaException(
                    ErrorIds.TokenExpiredOnArrival,
                    IcaErrorKind.InvalidData,
                    $"{server.Display} returned a token that had already expired (exp {minted.Claims.ExpiresOn:u}, this machine's clock says {now:u}). Check this machine's clock, and that the server URL points at ICA.",
                    server.Display);
            }

            var refreshAt = RefreshPolicy.RefreshAt(minted.Claims, now, options.RefreshMargin);
            return new CachedToken(new IcaToken(minted.Jwt, minted.Claims, server.Display, profile, how, refreshAt), credential);
        }

        /// <summary>The slot's token if it stays valid for 30 s more at least; null otherwise.</summary>
        private CachedToken? StillValid(TokenSlot slot) =>
            slot.Current is CachedToken held && options.Clock.UtcNow < held.ExpiresOn - TimeSpan.FromSeconds(30) ? held : null;

        /// <summary>The session's diagnostics: the options' sink (tests), else the running cmdlet's verbose stream.</summary>
        private void Log(string line)
        {
            if (options.Http.Verbose != null)
            {
                options.Http.Verbose(line);
            }
            else
            {
                EngineLog.Verbose(line);
            }
        }

        /// <summary>
        /// The context applied to a request: one that names no credential, profile or file takes the
        /// context's profile and file, as if given with -Profile and -Path; one that names a profile
        /// but no file looks for it in the context's file.
        /// </summary>
        private TokenRequest WithContext(TokenRequest request)
        {
            if (request.Credential != null || request.Path != null || (Context.Profile == null && Context.Path == null))
            {
                return request;
            }

            return request.Profile != null
                ? request with { Path = Context.Path }
                : request with { Profile = Context.Profile, Path = Context.Path };
        }

        private string ResolvePath(string? path) =>
            path != null
                ? ProfileLocation.Resolve(path, options.Environment, null)
                : defaultPath.Get(options.Environment.Get(Configuration.EnvironmentVariables.ConfigPath), _ => ProfileLocation.Resolve(null, options.Environment, options.HomeFolder()));
    }
}
