using System;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>The runspace's context: what Set-IcaContext chose, and what Get-IcaContext shows.</summary>
    public sealed partial class IcaSession
    {
        /// <summary>What Set-IcaContext chose for this runspace.</summary>
        public IcaContextChoice Context { get; private set; } = IcaContextChoice.None;

        /// <summary>
        /// The runspace's project: the context's, else $env:ICAV2_PROJECT_ID; null when neither is set.
        /// A call's project also looks in its profile: see <see cref="ProjectFor"/>.
        /// </summary>
        public (string Id, string From)? Project =>
            Context.ProjectId != null ? (Context.ProjectId, "Set-IcaContext")
            : options.Environment.Get(Configuration.EnvironmentVariables.ProjectId) is string fromEnvironment && fromEnvironment.Trim().Length > 0 ? (fromEnvironment.Trim(), "$env:" + Configuration.EnvironmentVariables.ProjectId)
            : ((string, string)?)null;

        /// <summary>
        /// The project that fills {projectId} in a call with REQUEST: <see cref="Project"/>, else the
        /// project stored (Set-IcaConfig -ProjectId) in the profile the call takes its token from (an
        /// explicit -Profile's, the context's, or $env:ICAV2_PROFILE's or 'default'); none when the
        /// token comes from -ApiKey, -Credential or the environment. Reads the profile file only when
        /// the runspace sets no project, so a call that does not need one never should call this.
        /// </summary>
        public (string Id, string From)? ProjectFor(TokenRequest request)
        {
            if (Project is { } runspace)
            {
                // Set-IcaContext checked its id; a mistyped variable is named here, not sent as a path.
                return Context.ProjectId != null ? runspace : (Profiles.ProjectIdText.Validate(runspace.Id, runspace.From), runspace.From);
            }

            request = WithContext(request);
            return StoredProject(sources.Resolve(request), request.Path);
        }

        public void SetContext(IcaContextChoice choice) => Context = choice;

        private (string Id, string From)? StoredProject(TokenSource source, string? requestedPath)
        {
            if (source.ProfilePath == null || source.Profile == null)
            {
                return null;
            }

            var store = OpenStore(requestedPath);
            var profile = store.Find(source.Profile) ?? throw store.ProfileNotFound(source.Profile, $"Create it with Set-IcaConfig -Profile {source.Profile}, or pass another -Profile.");
            return profile.ProjectId == null ? null : (profile.ProjectId, $"profile '{profile.Name}'");
        }

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
            project ??= StoredProject(source, request.Path);
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
    }
}
