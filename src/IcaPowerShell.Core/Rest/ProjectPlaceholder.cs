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

        /// <summary>For a call that takes the runspace's credential: every way there is.</summary>
        public static readonly string DefaultHowToSet = $"Set one for this runspace with Set-IcaContext -ProjectId <id> (or -ProjectName <name>), set $env:{Configuration.EnvironmentVariables.ProjectId}, store one in the profile with Set-IcaConfig -ProjectId <id>, or write the id in the path.";

        /// <summary>PATH with {projectId} filled; HOWTOSET says, when there is no project, how the caller sets one.</summary>
        public static string Fill(string path, string? projectId, Func<string>? howToSet = null)
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
                    $"-Path '{Shown.Value(path, 200)}' needs a project for {Placeholder}, and none is set; nothing was sent. {howToSet?.Invoke() ?? DefaultHowToSet}",
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
