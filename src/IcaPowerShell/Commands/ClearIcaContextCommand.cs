using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Forgets this runspace's context (profile, project) and every token it holds; with -KeptToken
    /// also the tokens kept on disk for the profile file's profiles, so that the next process mints.
    /// Profiles and keys are never touched: Reset-IcaConfig removes those.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "IcaContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearIcaContextCommand : IcaProfileCmdlet
    {
        /// <summary>Also delete the tokens kept on disk for the profiles of the context's (or -Path's, or the default) profile file.</summary>
        [Parameter]
        public SwitchParameter KeptToken { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                if (Path != null)
                {
                    Session.SetContext(Session.Context with { Path = ProfilePath });
                }

                var what = KeptToken ? $"this runspace's context and tokens, and the tokens kept beside '{Session.OpenStore(Session.Context.Path).Path}'" : "this runspace's context and tokens";
                if (ShouldProcess(what, "Clear"))
                {
                    var removed = Session.ClearContext(KeptToken);
                    WriteVerbose(KeptToken ? $"Forgot this runspace's context and tokens; deleted {removed} kept token file(s)." : "Forgot this runspace's context and tokens.");
                }
            });
        }
    }
}
