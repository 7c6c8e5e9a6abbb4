using System.Management.Automation;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Sets this runspace's default profile (and profile file) and project: later calls without
    /// -Profile use them, as if it were given, whatever the environment says. Other runspaces and
    /// processes are not affected.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IcaContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IcaContextView))]
    public sealed class SetIcaContextCommand : IcaProfileCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>The project whose id fills {projectId} in Invoke-IcaRestMethod's paths.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ProjectId { get; set; }

        /// <summary>Write the new context (as Get-IcaContext shows it).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var current = Session.Context;
                var path = Path != null ? ProfilePath : current.Path;
                var profile = Profile ?? (Path != null ? null : current.Profile);
                if (Profile == null && Path == null && ProjectId == null)
                {
                    throw new IcaException(ErrorIds.ContextNothingToSet, IcaErrorKind.InvalidArgument, "Set-IcaContext needs -Profile, -Path or -ProjectId: for example Set-IcaContext -Profile prod -ProjectId $projectId. Clear-IcaContext forgets the context.", "Profile");
                }

                if (profile != null)
                {
                    var store = Session.OpenStore(path);
                    if (store.Find(profile) == null)
                    {
                        throw ProfileMissing(profile, store);
                    }
                }

                var choice = new IcaContextChoice(profile, path, ProjectId ?? current.ProjectId);
                if (ShouldProcess($"this runspace: profile '{choice.Profile ?? "(from the environment or 'default')"}', project '{choice.ProjectId ?? "(none)"}'", "Set the IcaPowerShell context"))
                {
                    Session.SetContext(choice);
                    if (PassThru)
                    {
                        WriteObject(Session.DescribeAsync(new TokenRequest(), mint: false, CancelOnStop).GetAwaiter().GetResult());
                    }
                }
            });
        }

        private static IcaException ProfileMissing(string profile, Core.Profiles.ProfileStore store)
        {
            var names = string.Join(", ", System.Linq.Enumerable.Select(store.ReadAll(), p => p.Name));
            return new IcaException(
                ErrorIds.ProfileNotFound,
                IcaErrorKind.ObjectNotFound,
                $"There is no profile '{profile}' in '{store.Path}'" + (names.Length == 0 ? "; it has no profiles yet." : $"; it has: {names}.") + $" Create it with Set-IcaConfig -Profile {profile}, or pass another -Profile or -Path.",
                profile);
        }
    }
}
