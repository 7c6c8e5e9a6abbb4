using System.Management.Automation;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Shows what the next call in this runspace will use: where its token comes from, the profile,
    /// server, tenant and user, the project, and whether a token is held (in memory or kept on disk).
    /// It mints only with -Token.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IcaContext")]
    [OutputType(typeof(IcaContextView))]
    public sealed class GetIcaContextCommand : IcaProfileCmdlet
    {
        /// <summary>
        /// Show what a call with this -Profile would use. A piped object whose Profile is empty (a
        /// context from the environment) means "not given"; typed empty, it is refused.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>Get a token when none is held (from the kept file, else a mint), so tenant, user and expiry are known.</summary>
        [Parameter]
        public SwitchParameter Token { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RefuseEmptyOnCommandLine(nameof(Profile), Core.Errors.ErrorIds.InvalidProfileName, "pass a profile's name (Get-IcaConfig -ListAvailable lists them), or leave -Profile out for the context's");
        }

        protected override void ProcessRecord()
        {
            var profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile;
            Run(() => WriteObject(Session.DescribeAsync(new TokenRequest(Profile: profile, Path: ProfilePath), Token, CancelOnStop).GetAwaiter().GetResult()));
        }
    }
}
