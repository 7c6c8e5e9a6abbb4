using System;
using System.Management.Automation;
using System.Security;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Returns a JWT for the ICA REST API from the runspace's cache, minting one when there is none
    /// or it is about to expire. Sources, first match wins: -ApiKey/-Credential, $env:ICAV2_ACCESS_TOKEN,
    /// $env:ICAV2_X_API_KEY, then the profile.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IcaToken", DefaultParameterSetName = ProfileSet)]
    [OutputType(typeof(IcaToken))]
    [OutputType(typeof(string))]
    public sealed class GetIcaTokenCommand : IcaCmdlet
    {
        private const string ProfileSet = "Profile";
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";

        [Parameter(ParameterSetName = ProfileSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>Mint with this API key instead of a stored profile.</summary>
        [Parameter(ParameterSetName = ApiKeySet, Mandatory = true)]
        [ValidateNotNull]
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

        /// <summary>Mint a new token now, even if the cached one is still fresh.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the JWT as a string, for Windows PowerShell 5.1's Invoke-RestMethod -Headers.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [ValidateNotNull]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                SetConfigPlanner.RequireNonEmptyKey(ApiKey);
                var request = new TokenRequest
                {
                    Profile = Profile,
                    Path = ProfilePath,
                    ServerUrl = ServerUrl,
                    Force = Force,
                    Credential = ApiKey != null
                        ? new ApiKeyCredential(ApiKey)
                        : Credential != null ? new BasicCredential(Credential.UserName, Credential.Password, Tenant) : null,
                    Proxy = Proxy == null ? null : ProxySelection.Explicit(Proxy, ProxyCredential?.GetNetworkCredential()),
                };
                var token = Session.GetToken(request, CancelOnStop);
                FlushVerbose();
                if (token.Source != IcaTokenSource.Cache)
                {
                    // Only when something happened: a warm call should cost what any cmdlet costs.
                    WriteVerbose($"Token for {token.ServerUrl} ({token.Source}), expires {token.ExpiresOn:u}.");
                }
                if (AsPlainText)
                {
                    WriteObject(token.ToPlainText());
                }
                else
                {
                    WriteObject(token);
                }
            });
        }
    }
}
