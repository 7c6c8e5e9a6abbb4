using System;
using System.Management.Automation;
using System.Security;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// The cmdlets that need a token, and so take the same credential parameters with the same
    /// precedence: -ApiKey or -Credential, then $env:ICAV2_ACCESS_TOKEN, then $env:ICAV2_X_API_KEY,
    /// then the profile.
    /// </summary>
    public abstract class IcaCredentialCmdlet : IcaCmdlet
    {
        protected const string ProfileSet = "Profile";

        /// <summary>The first token of a process needs the platform's crypto: it starts loading now, beside the binding (see <see cref="CryptoWarmUp"/>).</summary>
        static IcaCredentialCmdlet() => CryptoWarmUp.Start();
        protected const string ApiKeySet = "ApiKey";
        protected const string CredentialSet = "Credential";

        /// <summary>Mint with this API key instead of a stored profile.</summary>
        [Parameter(ParameterSetName = ApiKeySet, Mandatory = true)]
        [ValidateNotNull]
        [SecureStringArgument]
        public SecureString? ApiKey { get; set; }

        /// <summary>Mint with an e-mail address and password (Basic authentication; not for SSO tenants).</summary>
        [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
        [ValidateNotNull]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The tenant name, for users who belong to several tenants.</summary>
        [Parameter(ParameterSetName = CredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? Tenant { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerUrl { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [ValidateNotNull]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>-Profile: each cmdlet declares it, at the position that suits its own syntax.</summary>
        protected abstract string? ProfileName { get; }

        /// <summary>
        /// The project id for {projectId} in PATH (<see cref="IcaSession.ProjectFor"/>): null when PATH
        /// has no {projectId}, so that a call that needs no project never reads the profile for one.
        /// </summary>
        internal string? ProjectIdFor(string path) =>
            path.IndexOf("{projectId}", StringComparison.OrdinalIgnoreCase) < 0 ? null : Session.ProjectFor(CredentialRequest(force: false))?.Id;

        /// <summary>How this call would get a project for {projectId} (<see cref="IcaSession.HowToSetProject"/>).</summary>
        internal string HowToSetProject() => Session.HowToSetProject(CredentialRequest(force: false));

        /// <summary>What the credential parameters ask for, as the session takes it.</summary>
        protected TokenRequest CredentialRequest(bool force)
        {
            SetConfigPlanner.RequireNonEmptyKey(ApiKey);
            return new TokenRequest(
                Profile: ProfileName,
                Path: ProfilePath,
                Credential: ApiKey != null
                    ? new ApiKeyCredential(ApiKey)
                    : Credential != null ? new BasicCredential(Credential.UserName, Credential.Password, Tenant) : null,
                ServerUrl: ServerUrl,
                Force: force,
                Proxy: Proxy == null ? null : ProxySelection.Explicit(Proxy, ProxyCredential?.GetNetworkCredential()));
        }
    }
}
