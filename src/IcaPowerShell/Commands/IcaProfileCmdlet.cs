using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>The cmdlets that work on a profile file, which -Path names.</summary>
    public abstract class IcaProfileCmdlet : IcaCmdlet
    {
        /// <summary>
        /// The profile file; else $env:ICAPOWERSHELL_CONFIG_PATH; else ~/.icav2/powershell-profiles.yaml.
        /// Bound from a piped profile's Path (Get-IcaConfig) or ProfilePath (Get-IcaContext), so the
        /// object acts on its own file.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ProfilePath")]
        [AllowNull]
        [AllowEmptyString]
        public string? Path { get; set; }

        protected override string? ProfilePath => ProviderPath.Resolve(this, string.IsNullOrEmpty(Path) ? null : Path);

        /// <summary>
        /// A piped object without a file (a context whose token comes from the environment) binds a
        /// null Path, which means "not given"; typed on the command line, an empty -Path is an unset
        /// variable, and is refused rather than quietly meaning the default file.
        /// </summary>
        protected override void BeginProcessing()
        {
            RefuseEmptyOnCommandLine(nameof(Path), Core.Errors.ErrorIds.InvalidSetting, "pass the profile file's path, or leave -Path out for the default file");
        }
    }
}
