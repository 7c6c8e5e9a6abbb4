using System;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// What Set-IcaContext chose for one runspace: the profile (and its file) that calls without
    /// -Profile use, and the project that fills {projectId} in API paths. Never shared between
    /// runspaces, so two terminals or parallel blocks can work in two projects.
    /// Read-only, PowerShell included: it is shown as $IcaPowerShellContext, and a project id set
    /// there by hand would skip the checks Set-IcaContext makes.
    /// </summary>
    public sealed record IcaContextChoice
    {
        public static readonly IcaContextChoice None = new IcaContextChoice(null, null, null);

        public IcaContextChoice(string? profile, string? path, string? projectId)
        {
            Profile = profile;
            Path = path;
            ProjectId = projectId;
        }

        public string? Profile { get; }

        public string? Path { get; }

        public string? ProjectId { get; }

        public IcaContextChoice WithProject(string? projectId) => new IcaContextChoice(Profile, Path, projectId);
    }

    /// <summary>Where the next call's token comes from, in the order the session applies.</summary>
    public enum IcaContextSource
    {
        /// <summary>-ApiKey or -Credential.</summary>
        Parameter,

        /// <summary>$env:ICAV2_ACCESS_TOKEN.</summary>
        EnvironmentToken,

        /// <summary>$env:ICAV2_X_API_KEY.</summary>
        EnvironmentApiKey,

        /// <summary>A stored profile.</summary>
        Profile,
    }

    /// <summary>Where a described token is now; None when the next call would mint.</summary>
    public enum IcaContextTokenState
    {
        None,
        Memory,
        Kept,
        Environment,
        Minted,
    }

    /// <summary>
    /// What Get-IcaContext shows: what the next call in this runspace will use. Tenant, user and
    /// expiry come from the token when there is one; nothing secret is held.
    /// </summary>
    public sealed class IcaContextView
    {
        public IcaContextView(IcaContextSource source, string? profile, string? profilePath, bool profileFromContext, string serverUrl, string? projectId, string? projectFrom, IcaToken? token, IcaContextTokenState tokenState)
        {
            Source = source.ToString();
            Profile = profile;
            ProfilePath = profilePath;
            ProfileFromContext = profileFromContext;
            ServerUrl = serverUrl;
            ProjectId = projectId;
            ProjectFrom = projectFrom;
            Tenant = token?.Tenant;
            User = token?.Claims.Subject;
            TokenExpiresOn = token == null ? (DateTimeOffset?)null : token.Claims.ExpiresOn.ToLocalTime();
            TokenState = tokenState.ToString();
        }

        /// <summary>An <see cref="IcaContextSource"/> name, as text so that it reads the same in JSON (as IcaToken.Source does).</summary>
        public string Source { get; }

        public string? Profile { get; }

        public string? ProfilePath { get; }

        /// <summary>True when the profile was chosen with Set-IcaContext rather than by the call or the environment.</summary>
        public bool ProfileFromContext { get; }

        public string ServerUrl { get; }

        public string? Tenant { get; }

        public string? User { get; }

        public string? ProjectId { get; }

        /// <summary>'Set-IcaContext', '$env:ICAV2_PROJECT_ID', or "profile 'NAME'" (stored with Set-IcaConfig -ProjectId); null when no project is set.</summary>
        public string? ProjectFrom { get; }

        public DateTimeOffset? TokenExpiresOn { get; }

        /// <summary>An <see cref="IcaContextTokenState"/> name: in memory, kept on disk, the environment's, just minted, or none yet.</summary>
        public string TokenState { get; }
    }
}
