using System.Management.Automation;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// A path parameter as PowerShell users mean it: resolved by the provider from the current
    /// location, so '~', relative paths after Set-Location and PSDrives work, as they do for
    /// PowerShell's own file cmdlets. .NET alone would resolve against the process start folder.
    /// </summary>
    internal static class ProviderPath
    {
        public static string? Resolve(PSCmdlet cmdlet, string? path, string parameterName = "Path")
        {
            if (path == null)
            {
                return null;
            }

            var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new IcaException(
                    ErrorIds.ConfigFolderUnavailable,
                    IcaErrorKind.InvalidArgument,
                    $"-{parameterName} '{Shown.Value(path)}' is on the {provider.Name} provider; it must be a file system path.",
                    parameterName);
            }

            return resolved;
        }
    }
}
