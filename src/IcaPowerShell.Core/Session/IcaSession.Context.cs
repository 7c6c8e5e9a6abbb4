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
        /// The project that fills {projectId} in a call with REQUEST. A call that takes its token where
        /// this runspace's calls take it by default gets the context's project, else $env:ICAV2_PROJECT_ID, else its profile's stored
        /// project (Set-IcaConfig -ProjectId). A call that names another credential (-Profile, -Path,
        /// -ApiKey, -Credential, -ServerUrl) never gets the context's project, since a project belongs to
        /// one tenant, and its profile's stored project comes before $env:ICAV2_PROJECT_ID, since what
        /// the call names beats what the environment holds. Reads the profile file, so a call that
        /// does not need a project never should call this.
        /// </summary>
        public (string Id, string From)? ProjectFor(TokenRequest request)
        {
            var applied = WithContext(request);
            return ProjectOf(request, sources.Resolve(applied), applied.Path, validate: true);
        }

        public void SetContext(IcaContextChoice choice)
        {
            Context = choice;
            replacedContextVariable = null;
        }

        /// <summary>
        /// The variable that shows the context (VARIABLE) was replaced by hand: until the context is
        /// set or cleared, a call that would use it stops, rather than guess which profile to use; a
        /// call that names its credential and file, and the profile cmdlets, go on.
        /// </summary>
        public void MarkContextReplaced(string variable) => replacedContextVariable = variable;

        private string? replacedContextVariable;

        /// <summary>
        /// How to give a call with REQUEST a project, when it has none: a call that names its own
        /// credential never takes the context's, so Set-IcaContext is not offered to it.
        /// </summary>
        public string HowToSetProject(TokenRequest request)
        {
            var applied = WithContext(request);
            TokenSource source;
            try
            {
                source = sources.Resolve(applied);
            }
            catch (Errors.IcaException)
            {
                return Rest.ProjectPlaceholder.DefaultHowToSet;
            }

            if (!NamesAnotherCredential(request, source))
            {
                // A token from the environment has no profile to store a project in.
                return source.Profile != null
                    ? Rest.ProjectPlaceholder.DefaultHowToSet
                    : $"Set one for this runspace with Set-IcaContext -ProjectId <id> (or -ProjectName <name>), set $env:{Configuration.EnvironmentVariables.ProjectId}, or write the id in the path (a token from $env:{Configuration.EnvironmentVariables.ApiKey} or $env:{Configuration.EnvironmentVariables.AccessToken} has no profile to store one in).";
            }

            var variable = "$env:" + Configuration.EnvironmentVariables.ProjectId;
            return source.Profile is string profile
                ? $"This call names its own credential, so it never takes the project Set-IcaContext sets: store one in profile '{profile}' with Set-IcaConfig -Profile {profile} -ProjectId <id>{(request.Path != null ? " -Path <its file>" : string.Empty)}, set {variable}, or write the id in the path."
                : $"This call names its own credential, so it never takes the project Set-IcaContext sets: set {variable}, or write the id in the path.";
        }

        private (string Id, string From)? ProjectOf(TokenRequest request, TokenSource source, string? path, bool validate)
        {
            var ownCredential = NamesAnotherCredential(request, source);
            if (!ownCredential && Context.ProjectId != null)
            {
                return (Context.ProjectId, "Set-IcaContext");
            }

            if (ownCredential && StoredProject(source, path) is { } named)
            {
                return named;
            }

            if (EnvironmentProject() is { } fromEnvironment)
            {
                // Set-IcaContext checked its id; a mistyped variable is named here, not sent as a path
                // (Get-IcaContext shows it as it is, so that the user sees what is wrong).
                return validate ? (Profiles.ProjectIdText.Validate(fromEnvironment.Id, fromEnvironment.From), fromEnvironment.From) : fromEnvironment;
            }

            return ownCredential ? null : StoredProject(source, path);
        }

        /// <summary>Whether REQUEST names a credential other than the one this runspace's calls use when they name none.</summary>
        private bool NamesAnotherCredential(TokenRequest request, TokenSource source)
        {
            if (request.Credential == null && request.Profile == null && request.Path == null && request.ServerUrl == null)
            {
                return false;
            }

            try
            {
                return sources.Resolve(WithContext(new TokenRequest())).SlotKey != source.SlotKey;
            }
            catch (Errors.IcaException)
            {
                return true;   // no default to compare with (no profile folder, a bad $env:ICAV2_PROFILE): the call's own
            }
        }

        private (string Id, string From)? EnvironmentProject() =>
            options.Environment.Get(Configuration.EnvironmentVariables.ProjectId) is string text && text.Trim().Length > 0
                ? (text.Trim(), "$env:" + Configuration.EnvironmentVariables.ProjectId)
                : ((string, string)?)null;

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
        /// kept on disk for the profiles of the profile file PATH (null: the default file). Profiles stay.
        /// </summary>
        public int ClearContext(bool keptTokens, string? path)
        {
            // The files first: a -Path that cannot be right (a folder) is refused before anything is forgotten.
            var removed = keptTokens ? OpenStore(path).RemoveKeptTokens() : 0;
            SetContext(IcaContextChoice.None);
            foreach (var slot in slots.Values)
            {
                slot.Clear();
            }

            foreach (var store in stores.Keys)
            {
                sources.Forget(store, null);
            }

            return removed;
        }

        /// <summary>What the next call with REQUEST would use; mints only when MINT is set and no usable token is held.</summary>
        public async Task<IcaContextView> DescribeAsync(TokenRequest request, bool mint, CancellationToken cancellationToken)
        {
            var fromContext = request.Credential == null && request.Profile == null && request.Path == null && (Context.Profile != null || Context.Path != null);
            var asked = request;
            request = WithContext(request);
            var source = sources.Resolve(request);
            var kind = request.Credential != null ? IcaContextSource.Parameter
                : source.Ready != null ? IcaContextSource.EnvironmentToken
                : source.ProfilePath != null ? IcaContextSource.Profile
                : IcaContextSource.EnvironmentApiKey;
            var project = ProjectOf(asked, source, request.Path, validate: false);
            if (source.Ready != null)
            {
                return new IcaContextView(kind, null, null, false, source.Ready.ServerUrl, project?.Id, project?.From, source.Ready, IcaContextTokenState.Environment);
            }

            var (server, credential) = source.Load!();
            var (token, state) = slots.TryGetValue(source.SlotKey, out var slot) && slot.Current is CachedToken held && options.Clock.UtcNow < held.RefreshAt
                ? (held.Fresh, IcaContextTokenState.Memory)
                : KeptTokens(source) is KeptTokenFile kept && Fresh(kept.TryRead(server, credential)) is Http.MintedJwt found
                    ? (Keep(found, server, credential, source, IcaTokenSource.Kept).Fresh, IcaContextTokenState.Kept)
                    : ((IcaToken?)null, IcaContextTokenState.None);
            if (token == null && mint)
            {
                token = await GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
                state = token.Origin == IcaTokenSource.Kept ? IcaContextTokenState.Kept : IcaContextTokenState.Minted;
            }

            // A token held in memory is what the next call sends, to its own server, even if the file now names another.
            return new IcaContextView(kind, source.Profile, source.ProfilePath, fromContext, token?.ServerUrl ?? server.Display, project?.Id, project?.From, token, state);
        }

        /// <summary>
        /// The context applied to a request: one that names no credential, profile or file takes the
        /// context's profile and file, as if given with -Profile and -Path; one that names a profile
        /// but no file looks for it in the context's file.
        /// </summary>
        private TokenRequest WithContext(TokenRequest request)
        {
            if (replacedContextVariable != null && request.Credential == null && request.Path == null)
            {
                throw new Errors.IcaException(
                    Errors.ErrorIds.ContextVariableChanged,
                    Errors.IcaErrorKind.InvalidOperation,
                    $"{replacedContextVariable} no longer holds the context Set-IcaContext set (profile '{Context.Profile ?? "(default)"}', project '{Context.ProjectId ?? "(none)"}'), and this call would use it, so nothing was done rather than guess which profile to use. Change the context with Set-IcaContext, forget it with Clear-IcaContext, or name the credential (-Profile with -Path, -ApiKey).",
                    replacedContextVariable);
            }

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
