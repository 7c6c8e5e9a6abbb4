using System;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// {projectId} in a path, the form tab completion inserts, filled from the runspace's project
    /// (Set-IcaContext -ProjectId, else $env:ICAV2_PROJECT_ID). Any other placeholder is left for
    /// <see cref="RestTarget"/> to refuse.
    /// </summary>
    public static class ProjectPlaceholder
    {
        private const string Placeholder = "{projectId}";

        public static string Fill(string path, string? projectId)
        {
            var at = path.IndexOf(Placeholder, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return path;
            }

            if (projectId == null)
            {
                throw new IcaException(
                    ErrorIds.ProjectRequired,
                    IcaErrorKind.InvalidArgument,
                    $"-Path '{Shown.Value(path, 200)}' needs a project for {Placeholder}, and none is set; nothing was sent. Set one for this runspace with Set-IcaContext -ProjectId <id> (or -ProjectName <name>), set $env:{Configuration.EnvironmentVariables.ProjectId}, store one in the profile with Set-IcaConfig -ProjectId <id>, or write the id in the path.",
                    "Path");
            }

            var escaped = Uri.EscapeDataString(projectId);
            while (at >= 0)
            {
                path = path.Substring(0, at) + escaped + path.Substring(at + Placeholder.Length);
                at = path.IndexOf(Placeholder, at + escaped.Length, StringComparison.OrdinalIgnoreCase);
            }

            return path;
        }
    }
}
