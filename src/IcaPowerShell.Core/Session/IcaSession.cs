using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// The state of one runspace: its profile stores and its cached tokens. Getting a token is
    /// three steps: resolve where it comes from (<see cref="CredentialSources"/>), return the
    /// cached one while it is fresh, else renew it, once however many callers are waiting. The
    /// runspace's context is in IcaSession.Context.cs, tokens kept across processes in
    /// IcaSession.KeptTokens.cs.
    /// </summary>
    public sealed partial class IcaSession
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
        /// A client for API calls with this session's token for CREDENTIALS (the same cache
        /// Get-IcaToken uses), bound to the server that token is for; a 401 gets one new token.
        /// </summary>
        public async Task<Rest.IcaRestClient> ConnectAsync(TokenRequest credentials, CancellationToken cancellationToken)
        {
            IcaToken? first = await GetTokenAsync(credentials, cancellationToken).ConfigureAwait(false);
            return new Rest.IcaRestClient(ServerAddress.Parse(first.ServerUrl), options.Http.ForCall(options.Environment, credentials.Proxy, null), BearerAsync);

            // The first request takes the token just got; later ones (pages, retries after a long
            // wait) ask the cache again, so a token renewed meanwhile is the one sent.
            async Task<string> BearerAsync(bool renew, CancellationToken ct)
            {
                var token = renew ? null : Interlocked.Exchange(ref first, null);
                var jwt = (token ?? await GetTokenAsync(credentials with { Force = renew }, ct).ConfigureAwait(false)).ToPlainText();
                options.Http.Secrets.AddToken(jwt);   // so that -Debug and an answer written with -SkipHttpErrorCheck cut it in any form
                return jwt;
            }
        }

        /// <summary>
        /// Takes a profile's token that another process kept, else refreshes a Basic token that still
        /// lives, else mints; runs once per slot at a time, and once per profile across processes
        /// while they can share the kept token file's lock. A kept token bound to the profile file as
        /// it is now is taken before the profile is even parsed (see <see cref="TakeBound"/>).
        /// </summary>
        private async Task<CachedToken> RenewAsync(TokenSource source, CachedToken? previous, TokenRequest request, CancellationToken cancellationToken)
        {
            var kept = KeptTokens(source);
            if (kept == null && request.Force)
            {
                ForgetKept(source);
            }

            if (kept != null && !request.Force && TakeBound(kept, source) is CachedToken quick)
            {
                return quick;
            }

            var (server, credential, binding) = source.Load!();
            if (kept != null && !request.Force && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt found)
            {
                if (binding != null)
                {
                    // The profile file changed, but not the credential (another profile, a setting):
                    // bound again to the file as it is, the next process takes the quick way.
                    kept.TryWrite(server, credential, binding, found);
                }

                KnownToServer(credential);
                return Keep(found, server, credential, source, IcaTokenSource.Kept);
            }

            using (kept?.TryLock(options.KeptTokenWait))
            {
                // Another process may have minted while this one waited for the lock.
                if (kept != null && !request.Force && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt theirs)
                {
                    KnownToServer(credential);
                    return Keep(theirs, server, credential, source, IcaTokenSource.Kept);
                }

                var (renewed, how) = await RefreshOrMintAsync(server, credential, previous, request, cancellationToken).ConfigureAwait(false);
                var held = Keep(renewed, server, credential, source, how);
                if (kept != null)
                {
                    KeepForOthers(kept, source, server, credential, binding, renewed);
                }

                return held;
            }
        }

        /// <summary>
        /// Keeps a token just minted, unless the profile's credential changed while it was minted
        /// (Reset-IcaConfig removed it, a new key or server was stored): checked before the write and
        /// again after it, and Reset-IcaConfig deletes the kept file after it saved the profile, so a
        /// removed profile's token never stays on disk whichever process goes first. A change to
        /// another profile or a setting keeps the token, bound to the file as it is now.
        /// </summary>
        private void KeepForOthers(KeptTokenFile kept, TokenSource source, ServerAddress server, IcaCredential credential, ProfileBinding? binding, Http.MintedJwt token)
        {
            var now = binding == null ? null : BindingNow(source, server, credential, binding);
            if (binding != null && now == null)
            {
                Log($"The profile's key or server changed while the token was minted (or the profile was removed); the token is not kept in '{kept.FilePath}'.");
                return;
            }

            kept.TryWrite(server, credential, now, token);
            if (now != null && BindingNow(source, server, credential, now) == null)
            {
                kept.TryDelete();
                Log($"The profile's key or server changed while the token was kept (or the profile was removed); '{kept.FilePath}' was removed again.");
            }
        }

        /// <summary>
        /// What the profile's credential is bound to now, when it is still the one minted with: the same
        /// bytes (cheap), else the same server and key read again (another profile or a setting changed).
        /// Null when it changed, or the profile cannot be read.
        /// </summary>
        private static ProfileBinding? BindingNow(TokenSource source, ServerAddress server, IcaCredential credential, ProfileBinding binding)
        {
            try
            {
                if (!(source.CurrentBinding?.Invoke() is ProfileBinding current))
                {
                    return null;
                }

                if (current.SameFileBytes(binding))
                {
                    return binding;
                }

                var (serverNow, credentialNow, bindingNow) = source.Load!();
                return serverNow.Equals(server) && credentialNow.SameAs(credential) ? bindingNow : null;
            }
            catch (IcaException)
            {
                return null;
            }
        }

        /// <summary>
        /// The quick way for a fresh process: the kept token, when its record (decrypted and
        /// authenticated with the profile's protection) is bound to the profile file's exact bytes
        /// as they are now, the same profile name and the same -ServerUrl. The record was written by
        /// a process that loaded the key from those very bytes and minted with it, so parsing them
        /// and decrypting the key again would find the same credential. Anything else, including a
        /// file that cannot be trusted as it is, is left to the full way, which reports it.
        /// </summary>
        private CachedToken? TakeBound(KeptTokenFile kept, TokenSource source)
        {
            ProfileBinding? current;
            try
            {
                current = source.CurrentBinding?.Invoke();
            }
            catch (IcaException)
            {
                return null;
            }

            if (current != null && kept.TryReadBound(current) is { } bound && Fresh(bound.Token) is Http.MintedJwt fresh)
            {
                Log($"Using the token kept in '{kept.FilePath}' for profile '{source.Profile}' (the profile file is unchanged since).");
                // The key in the bytes the token is bound to (the file may change later, the server's knowledge does not).
                var store = OpenStore(source.ProfilePath);
                options.Http.Secrets.AddLater(() => store.ApiKeyIn(current.FileBytes, source.Profile!) is { } key ? Protection.SecretText.ToPlainText(key) : null);
                return Keep(fresh, bound.Server, null, source, IcaTokenSource.Kept);
            }

            return null;
        }

        private async Task<(Http.MintedJwt Token, IcaTokenSource How)> RefreshOrMintAsync(ServerAddress server, IcaCredential credential, CachedToken? previous, TokenRequest request, CancellationToken cancellationToken)
        {
            var client = new Http.IcaTokenClient(options.Http.ForCall(options.Environment, request.Proxy, null));
            if (previous != null && previous.Refreshable && previous.Credential!.SameAs(credential) && options.Clock.UtcNow < previous.ExpiresOn)
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

        private CachedToken Keep(Http.MintedJwt minted, ServerAddress server, IcaCredential? credential, TokenSource source, IcaTokenSource how)
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
            return new CachedToken(new IcaToken(minted.Jwt, minted.Claims, server.Display, source.Profile, source.ProfilePath, how, refreshAt), credential);
        }

        /// <summary>The slot's token if it stays valid for 30 s more at least; null otherwise.</summary>
        private CachedToken? StillValid(TokenSlot slot) =>
            slot.Current is CachedToken held && options.Clock.UtcNow < held.ExpiresOn - TimeSpan.FromSeconds(30) ? held : null;

        /// <summary>The session's diagnostics: the options' sink (tests), else the running cmdlet's verbose stream.</summary>
        private void Log(string line) => options.Http.Log(line);

        private string ResolvePath(string? path) =>
            path != null
                ? ProfileLocation.Resolve(path, options.Environment, null)
                : defaultPath.Get(options.Environment.Get(Configuration.EnvironmentVariables.ConfigPath), _ => ProfileLocation.Resolve(null, options.Environment, options.HomeFolder()));
    }
}
