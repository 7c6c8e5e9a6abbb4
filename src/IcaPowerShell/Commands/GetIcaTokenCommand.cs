using System.Management.Automation;
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
    public sealed class GetIcaTokenCommand : IcaCredentialCmdlet
    {
        /// <summary>
        /// Profile names from the pipeline, as Get-IcaConfig takes them, or profile objects (their
        /// Profile and Path). A piped object whose Profile is empty (a context or token from
        /// $env:ICAV2_X_API_KEY) means "not given", not its type name; typed empty, it is refused.
        /// </summary>
        [Parameter(ParameterSetName = ProfileSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        [PipedProfile]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>
        /// The profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else ~/.icav2/powershell-profiles.yaml.
        /// Bound from a piped object's Path (Get-IcaConfig) or ProfilePath (Get-IcaContext, Get-IcaToken),
        /// so that a profile is taken from its own file, never from another file's profile of that name.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ProfilePath")]
        [AllowNull]
        [AllowEmptyString]
        public string? Path { get; set; }

        /// <summary>Mint a new token now, even if the cached one is still fresh.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the JWT as a string, for Windows PowerShell 5.1's Invoke-RestMethod -Headers.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override string? ProfileName => Profile;

        /// <summary>A piped object without a file (a token or context from the environment) binds a null Path: "not given".</summary>
        protected override string? ProfilePath => ProviderPath.Resolve(this, string.IsNullOrEmpty(Path) ? null : Path);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RefuseEmptyOnCommandLine(nameof(Path), Core.Errors.ErrorIds.InvalidSetting, "pass the profile file's path, or leave -Path out for the default file");
            RefuseEmptyOnCommandLine(nameof(Profile), Core.Errors.ErrorIds.InvalidProfileName, "pass a profile's name (Get-IcaConfig -ListAvailable lists them), or leave -Profile out for $env:ICAV2_PROFILE or 'default'");
        }

        protected override void ProcessRecord()
        {
            if (Profile != null && Profile.Trim().Length == 0)
            {
                // A piped empty string (an object's empty Profile property arrives as null instead).
                WriteIcaError(new Core.Errors.IcaException(Core.Errors.ErrorIds.InvalidProfileName, Core.Errors.IcaErrorKind.InvalidArgument, "A profile name from the pipeline is empty (an unset variable?), so no token was got for it. Pipe profile names, or Get-IcaConfig's profiles.", "Profile"));
                return;
            }

            Run(() =>
            {
                var token = Session.GetToken(CredentialRequest(Force), CancelOnStop);
                FlushVerbose();
                if (token.Source != nameof(IcaTokenSource.Cache))
                {
                    // Only when something happened: a warm call should cost what any cmdlet costs.
                    WriteVerbose($"Token for {token.ServerUrl} ({token.Source}), expires {token.ExpiresOn.ToUniversalTime():u}.");
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
