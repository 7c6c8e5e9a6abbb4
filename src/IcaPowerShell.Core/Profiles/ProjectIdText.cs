using System.Linq;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// What a project id may look like. ICA's ids are UUIDs, but its API only says "string", so the
    /// rule is looser: 1 to 128 letters, digits, '-' and '_'. That still refuses what is surely a
    /// mistake: a name ('My trial', which -ProjectName looks up), a path, a URL, a placeholder, a
    /// line break.
    /// </summary>
    public static class ProjectIdText
    {
        private const int MaxLength = 128;

        public static bool IsPlausible(string? value) =>
            value != null && value.Length > 0 && value.Length <= MaxLength
            && value.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');

        /// <summary>The id, trimmed; an <see cref="ErrorIds.InvalidProjectId"/> naming SOURCE when it is no plausible id.</summary>
        public static string Validate(string? value, string source)
        {
            var trimmed = value?.Trim();
            if (IsPlausible(trimmed))
            {
                return trimmed!;
            }

            var shown = value == null ? "(null)" : $"'{Shown.Value(value, 80)}'";
            var hint = trimmed != null && trimmed.Contains(' ') ? " It looks like a name: Set-IcaContext -ProjectName finds a project by its name." : string.Empty;
            throw new IcaException(
                ErrorIds.InvalidProjectId,
                IcaErrorKind.InvalidArgument,
                $"{shown} given as {source} is not a project id: an id is 1 to {MaxLength} letters, digits, '-' or '_' (ICA's are UUIDs, as in Invoke-IcaRestMethod projects -All | Select-Object id, name).{hint}",
                source);
        }
    }
}
