using System.Linq;
using System.Management.Automation;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Commands
{
    /// <summary>Shows profiles as icav2 config get does; the API key only as a mask.</summary>
    [Cmdlet(VerbsCommon.Get, "IcaConfig", DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(IcaConfig))]
    public sealed class GetIcaConfigCommand : IcaProfileCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string AllSet = "All";

        /// <summary>Profile names; wildcards allowed. Default: $env:ICAV2_PROFILE, else 'default'.</summary>
        [Parameter(ParameterSetName = ByNameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string[]? Profile { get; set; }

        /// <summary>Every profile in the file.</summary>
        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter ListAvailable { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var store = Session.OpenStore(ProfilePath);
                var profiles = store.ReadAll();
                if (ListAvailable)
                {
                    WriteObject(profiles.OrderBy(p => p.Name).Select(p => new IcaConfig(p, store.Path)), enumerateCollection: true);
                    return;
                }

                foreach (var requested in Profile ?? new[] { CurrentProfileName(null) })
                {
                    var pattern = WildcardPattern.Get(requested, WildcardOptions.IgnoreCase);
                    var matches = profiles.Where(p => pattern.IsMatch(p.Name)).OrderBy(p => p.Name).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(requested))
                    {
                        WriteIcaError(store.ProfileNotFound(requested, $"Create it with Set-IcaConfig -Profile {requested}."));
                        continue;
                    }

                    WriteObject(matches.Select(p => new IcaConfig(p, store.Path)), enumerateCollection: true);
                }
            });
        }
    }
}
