using System.Linq;
using System.Management.Automation;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Commands
{
    /// <summary>Removes a profile, or every profile and the key file, as icav2 config reset does.</summary>
    [Cmdlet(VerbsCommon.Reset, "IcaConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(void))]
    public sealed class ResetIcaConfigCommand : IcaProfileCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string AllSet = "All";

        [Parameter(ParameterSetName = ByNameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string[]? Profile { get; set; }

        /// <summary>Remove the whole profile file and its key file.</summary>
        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter All { get; set; }

        /// <summary>Do not ask for confirmation. -WhatIf still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var store = Session.OpenStore(ProfilePath);
                if (All)
                {
                    if (Approved($"all profiles in {store.Path} and the key file {store.Protection.KeyFilePath}", "Remove"))
                    {
                        store.RemoveAll();
                        Session.Forget(store.Path, null);
                        WriteVerbose($"Removed '{store.Path}' and '{store.Protection.KeyFilePath}'.");
                    }

                    return;
                }

                foreach (var name in (Profile ?? new[] { CurrentProfileName(null) }).Select(n => ProfileName.Validate(n)))
                {
                    if (store.Find(name) == null)
                    {
                        WriteIcaError(store.ProfileNotFound(name, "Nothing was removed."));
                        continue;
                    }

                    if (Approved($"profile '{name}' in {store.Path}", "Remove"))
                    {
                        store.Remove(name);
                        Session.Forget(store.Path, name);
                        WriteVerbose($"Removed profile '{name}' from '{store.Path}'.");
                    }
                }
            });
        }

        /// <summary>-Force answers the confirmation; -WhatIf still wins, so a dry run stays dry.</summary>
        private bool Approved(string target, string action)
        {
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
                ? LanguagePrimitives.IsTrue(bound)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
            return (Force && !whatIf) || ShouldProcessWithoutHanging(target, action, ConfirmImpact.High, "Pass -Force or -Confirm:$false to remove it without asking");
        }
    }
}
