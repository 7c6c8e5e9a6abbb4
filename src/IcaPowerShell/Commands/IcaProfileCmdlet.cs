using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>The cmdlets that work on a profile file, which -Path names.</summary>
    public abstract class IcaProfileCmdlet : IcaCmdlet
    {
        /// <summary>The profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else ~/.icav2/powershell-profiles.yaml.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override string? ProfilePath => ProviderPath.Resolve(this, Path);
    }
}
