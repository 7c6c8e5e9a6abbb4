using System.Management.Automation;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Sets this runspace's default profile (and profile file) and project: later calls without
    /// -Profile use them, as if it were given, whatever the environment says. Other runspaces and
    /// processes are not affected.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IcaContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByIdSet)]
    [OutputType(typeof(IcaContextView))]
    public sealed class SetIcaContextCommand : IcaProfileCmdlet
    {
        protected override bool ReplacesContext => true;

        private const string ByIdSet = "ProjectId";
        private const string ByNameSet = "ProjectName";

        // Null from a piped object (Get-IcaContext or Get-IcaConfig output without one) means "not
        // given"; an empty value typed on the command line is refused in BeginProcessing.
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        /// <summary>The project whose id fills {projectId} in Invoke-IcaRestMethod's paths.</summary>
        [Parameter(ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? ProjectId { get; set; }

        /// <summary>The project by its name, looked up with ICA's project search; it must match exactly one project.</summary>
        [Parameter(ParameterSetName = ByNameSet, Mandatory = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? ProjectName { get; set; }

        /// <summary>Write the new context (as Get-IcaContext shows it).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            RefuseEmptyOnCommandLine(nameof(Profile), ErrorIds.InvalidProfileName, "pass a profile's name (Get-IcaConfig -ListAvailable lists them)");
            RefuseEmptyOnCommandLine(nameof(ProjectId), ErrorIds.InvalidProjectId, "pass a project's id, or -ProjectName");
            RefuseEmptyOnCommandLine(nameof(ProjectName), ErrorIds.InvalidProjectId, "pass a project's name, or -ProjectId");
        }

        protected override void ProcessRecord()
        {
            Profile = string.IsNullOrEmpty(Profile) ? null : Profile;
            ProjectId = string.IsNullOrEmpty(ProjectId) ? null : ProjectId;
            Run(() =>
            {
                var current = Session.Context;
                if (Profile == null && Path == null && ProjectId == null && ProjectName == null)
                {
                    throw new IcaException(ErrorIds.ContextNothingToSet, IcaErrorKind.InvalidArgument, "Set-IcaContext needs -Profile, -Path, -ProjectId or -ProjectName: for example Set-IcaContext -Profile prod -ProjectId $projectId. Clear-IcaContext forgets the context.", "Profile");
                }

                var projectId = ProjectId == null ? null : ProjectIdText.Validate(ProjectId, "-ProjectId");

                // -Path alone chooses the file; its profile is then $env:ICAV2_PROFILE or 'default',
                // as for any call that names a file. Either way the profile must be there now.
                var path = Path != null ? ProfilePath : current.Path;
                var profile = Profile ?? (Path != null ? CurrentProfileName(null) : current.Profile);
                if (profile != null)
                {
                    var store = Session.OpenStore(path);
                    if (store.Find(profile) == null)
                    {
                        throw store.ProfileNotFound(profile, "Create it with Set-IcaConfig, or pass another -Profile or -Path.");
                    }
                }

                // A project belongs to one tenant: another profile or file starts without one.
                var sameProfile = profile == current.Profile && path == current.Path;
                projectId ??= sameProfile ? current.ProjectId : null;
                var choice = new IcaContextChoice(profile, path, projectId);
                var project = ProjectName != null ? $"the project named '{ProjectName}'" : $"project '{choice.ProjectId ?? "(none)"}'";
                if (ShouldProcessWithoutHanging($"for this runspace: profile '{choice.Profile ?? "(from the environment or 'default')"}', {project}", "Set the IcaPowerShell context", ConfirmImpact.Low, "Pass -Confirm:$false"))
                {
                    SetContext(ProjectName == null ? choice : choice.WithProject(FindProject(choice, ProjectName, current)));
                    if (PassThru)
                    {
                        WriteObject(Session.DescribeAsync(new TokenRequest(), mint: false, CancelOnStop).GetAwaiter().GetResult());
                    }
                }
            });
        }

        /// <summary>
        /// The id of the one project named NAME, found with ICA's project search through
        /// Invoke-IcaRestMethod (its paging, retries and errors) under the new context's profile.
        /// </summary>
        private string FindProject(IcaContextChoice choice, string name, IcaContextChoice previous)
        {
            SetContext(choice.WithProject(null));
            var found = new System.Collections.Generic.List<(string Id, string Name)>();
            try
            {
                var search = ScriptBlock.Create("param($name) IcaPowerShell\\Invoke-IcaRestMethod projects -Query @{ search = $name } -All");
                foreach (var item in InvokeCommand.InvokeScript(false, search, null, name))
                {
                    if (item?.Properties["id"]?.Value is string id && item.Properties["name"]?.Value is string itemName)
                    {
                        found.Add((id, itemName));
                    }
                }
            }
            catch (RuntimeException ex)
            {
                SetContext(previous);
                ThrowTerminatingError(ex.ErrorRecord);
            }

            var exact = found.FindAll(p => p.Name == name);
            var matches = exact.Count > 0 ? exact : found.FindAll(p => string.Equals(p.Name, name, System.StringComparison.OrdinalIgnoreCase));
            if (matches.Count == 1)
            {
                return matches[0].Id;
            }

            SetContext(previous);
            var listed = string.Join(", ", System.Linq.Enumerable.Select(System.Linq.Enumerable.Take(matches.Count > 1 ? matches : found, 10), p => $"'{p.Name}' ({p.Id})"));
            throw matches.Count > 1
                ? new IcaException(ErrorIds.ProjectAmbiguous, IcaErrorKind.InvalidArgument, $"{matches.Count} projects are named '{name}': {listed}. Set one by id with Set-IcaContext -ProjectId.", "ProjectName")
                : new IcaException(ErrorIds.ProjectNotFound, IcaErrorKind.ObjectNotFound, $"No project is named '{name}'" + (found.Count == 0 ? "; the search found none." : $"; the search found {listed}.") + " Check the name, or set the project by id with Set-IcaContext -ProjectId.", "ProjectName");
        }
    }
}
