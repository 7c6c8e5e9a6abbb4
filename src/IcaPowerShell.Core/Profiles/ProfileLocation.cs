using System;
using System.IO;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// Where the profile file lives: -Path, else $env:ICAPOWERSHELL_CONFIG_PATH, else
    /// ~/.icav2/powershell-profiles.yaml. It is our own file beside icav2's: icav2's config.yaml
    /// uses a cipher that is not public, so we never write it.
    /// </summary>
    public static class ProfileLocation
    {
        public const string FolderName = ".icav2";
        public const string FileName = "powershell-profiles.yaml";

        public static string Resolve(string? pathParameter, IEnvironment environment, string? homeFolder)
        {
            string path;
            if (!string.IsNullOrWhiteSpace(pathParameter))
            {
                path = FullPath(pathParameter!, "Path");
            }
            else if (environment.Get(EnvironmentVariables.ConfigPath) is string fromEnvironment)
            {
                path = FullPath(fromEnvironment, EnvironmentVariables.ConfigPath);
            }
            else
            {
                if (string.IsNullOrWhiteSpace(homeFolder))
                {
                    throw new IcaException(
                        ErrorIds.NoHomeFolder,
                        IcaErrorKind.ObjectNotFound,
                        $"This account has no home folder, so there is no default place for the profile file. Pass -Path, or set the environment variable {EnvironmentVariables.ConfigPath} to a file path (for example in a runbook), or use {EnvironmentVariables.ApiKey} without a profile.",
                        "Path");
                }

                path = Path.Combine(homeFolder, FolderName, FileName);
            }

            if (IsIcav2File(path))
            {
                throw new IcaException(
                    ErrorIds.ConfigPathIsIcav2File,
                    IcaErrorKind.InvalidArgument,
                    $"'{path}' is icav2's own file; IcaPowerShell never writes it. Choose another file name, for example {FileName}.",
                    path);
            }

            return path;
        }

        /// <summary>The user's home folder as .NET sees it, falling back to $HOME; null when there is none.</summary>
        public static string? CurrentHomeFolder(IEnvironment environment)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                home = environment.Get("HOME") ?? environment.Get("USERPROFILE") ?? string.Empty;
            }

            return home.Length == 0 ? null : home;
        }

        public static string KeyFilePath(string profilePath) =>
            Path.Combine(Path.GetDirectoryName(profilePath)!, Path.GetFileNameWithoutExtension(profilePath) + ".key");

        public static string LockFilePath(string profilePath) => profilePath + ".lock";

        /// <summary>
        /// Where a profile's token is kept for other processes: beside the profile file, one file per
        /// profile, "powershell-profiles.yaml~prod.token". '~' cannot occur in a profile name, so two
        /// profile files in one folder never share a name ("a.yaml" with "b.c", "a.b.yaml" with "c").
        /// </summary>
        public static string KeptTokenPath(string profilePath, string profileName) =>
            Path.Combine(Path.GetDirectoryName(profilePath)!, KeptTokenPrefix(profilePath) + profileName + KeptTokenSuffix);

        /// <summary>The profile whose kept token FILENAME is, for the profile file PROFILEPATH; null when it is not one.</summary>
        public static string? KeptTokenProfile(string profilePath, string fileName)
        {
            var prefix = KeptTokenPrefix(profilePath);
            if (fileName.Length <= prefix.Length + KeptTokenSuffix.Length
                || !fileName.StartsWith(prefix, StringComparison.Ordinal)
                || !fileName.EndsWith(KeptTokenSuffix, StringComparison.Ordinal))
            {
                return null;
            }

            var name = fileName.Substring(prefix.Length, fileName.Length - prefix.Length - KeptTokenSuffix.Length);
            return name.IndexOf('~') < 0 ? name : null;
        }

        private const string KeptTokenSuffix = ".token";

        private static string KeptTokenPrefix(string profilePath) => Path.GetFileName(profilePath) + "~";

        private static bool IsIcav2File(string path)
        {
            var name = Path.GetFileName(path);
            var folder = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
            return string.Equals(folder, FolderName, StringComparison.OrdinalIgnoreCase)
                && (string.Equals(name, "config.yaml", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(name, ".session.ica.yaml", StringComparison.OrdinalIgnoreCase));
        }

        private static string FullPath(string path, string source)
        {
            try
            {
                return Path.GetFullPath(path.Trim());
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw new IcaException(ErrorIds.ConfigFolderUnavailable, IcaErrorKind.InvalidArgument, $"'{path}' (from {source}) is not a valid file path: {ex.Message}", source, ex);
            }
        }
    }
}
