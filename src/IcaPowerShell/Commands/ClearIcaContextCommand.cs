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
        protected override bool ReplacesContext => true;

        /// <summary>Also delete the tokens kept on disk for the profiles of the context's (or -Path's, or the default) profile file.</summary>
        [Parameter]
        public SwitchParameter KeptToken { get; set; }

        /// <summary>
        /// Only this profile's tokens (with -KeptToken, its kept one too); the context stays. Declared so
        /// that -Profile, which every sibling cmdlet has, is not taken as the start of -ProfilePath.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>
        /// -Path only says whose kept tokens -KeptToken deletes: typed without it, the user most
        /// likely meant to delete them, so nothing is done rather than only this runspace's part.
        /// A Path piped from a profile object is its file, not a request, and stays allowed.
        /// </summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RefuseEmptyOnCommandLine(nameof(Profile), Core.Errors.ErrorIds.InvalidProfileName, "pass a profile's name, or leave -Profile out to clear the whole runspace");
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Path)) && !KeptToken && Profile == null)
            {
                ThrowTerminatingError(Hosting.ErrorMapping.ToErrorRecord(new Core.Errors.IcaException(
                    Core.Errors.ErrorIds.ParameterConflict,
                    Core.Errors.IcaErrorKind.InvalidArgument,
                    "-Path names the profile file whose kept tokens -KeptToken deletes; without -KeptToken there is nothing to do with it, so nothing was cleared. Add -KeptToken to delete them, or leave -Path out to clear this runspace's context and tokens.",
                    nameof(Path))));
            }
        }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var path = Path != null ? ProfilePath : Session.Context.Path;
                if (Profile != null)
                {
                    ClearProfile(Core.Profiles.ProfileName.Validate(Profile), path);
                    return;
                }

                var what = KeptToken ? $"this runspace's context and tokens, and the tokens kept beside '{Session.OpenStore(path).Path}'" : "this runspace's context and tokens";
                if (ShouldProcessWithoutHanging(what, "Clear", ConfirmImpact.Low, "Pass -Confirm:$false"))
                {
                    var removed = Session.ClearContext(KeptToken, path);
                    SessionState.PSVariable.Remove(ContextVariable);
                    if (KeptToken && removed == 0 && Path != null && !System.IO.File.Exists(ProfilePath))
                    {
                        // Tokens of a removed profile file are still found; nothing at all is most likely a mistyped -Path.
                        WriteWarning($"There is no profile file '{ProfilePath}' and no token kept beside it: nothing was deleted. Check -Path (Get-IcaConfig -ListAvailable shows the file in use).");
                    }

                    WriteVerbose(KeptToken ? $"Forgot this runspace's context and tokens; deleted {removed} kept token file(s)." : "Forgot this runspace's context and tokens.");
                }
            });
        }

        private void ClearProfile(string profile, string? path)
        {
            var store = Session.OpenStore(path);
            var what = KeptToken ? $"the tokens of profile '{profile}' in '{store.Path}', held in this runspace and kept on disk" : $"the tokens of profile '{profile}' in '{store.Path}' held in this runspace";
            if (ShouldProcessWithoutHanging(what, "Clear", ConfirmImpact.Low, "Pass -Confirm:$false"))
            {
                Session.Forget(path, profile);
                var deleted = KeptToken && store.RemoveKeptToken(profile);
                WriteVerbose($"Forgot {what}{(KeptToken ? (deleted ? "; deleted its kept token file" : "; it had no kept token file") : string.Empty)}; the context is unchanged.");
            }
        }
    }
}
