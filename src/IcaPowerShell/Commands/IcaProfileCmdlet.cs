using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>The cmdlets that work on a profile file, which -Path names.</summary>
    public abstract class IcaProfileCmdlet : IcaCmdlet
    {
        /// <summary>
        /// The profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else ~/.icav2/powershell-profiles.yaml.
        /// Bound from a piped profile's Path, so the object acts on its own file.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override string? ProfilePath => ProviderPath.Resolve(this, Path);
    }
}
