using System.Linq;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>Profile names are YAML keys and may one day be folder names: keep them to a safe alphabet.</summary>
    public static class ProfileName
    {
        public const string Default = "default";
        public const int MaxLength = 64;

        private static readonly char[] Wildcards = { '*', '?', '[', ']' };

        public static string Validate(string? name, string parameterName = "Profile")
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw Invalid(parameterName, "A profile name cannot be empty.");
            }

            if (name!.Length > MaxLength)
            {
                throw Invalid(parameterName, $"A profile name is at most {MaxLength} characters.");
            }

            if (name.Any(char.IsControl))
            {
                throw Invalid(parameterName, "A profile name cannot contain control characters.");
            }

            if (name.IndexOfAny(new[] { '/', '\\', ':' }) >= 0 || name.Contains(".."))
            {
                throw Invalid(parameterName, $"The profile name '{Errors.Shown.Value(name, MaxLength)}' contains path characters.");
            }

            if (name.IndexOfAny(Wildcards) >= 0)
            {
                throw new IcaException(
                    ErrorIds.InvalidProfileName,
                    IcaErrorKind.InvalidArgument,
                    $"The profile name '{Errors.Shown.Value(name, MaxLength)}' has a wildcard character; wildcards are not supported here (only Get-IcaConfig takes them). To act on several profiles, pipe them: Get-IcaConfig '{Errors.Shown.Value(name, MaxLength)}' | Reset-IcaConfig.",
                    parameterName);
            }

            if (!name.All(IsAllowed) || name[0] == '.' || name[0] == '-')
            {
                throw Invalid(parameterName, $"The profile name '{Errors.Shown.Value(name, MaxLength)}' is not allowed.");
            }

            return name;
        }

        /// <summary>"-Profile prod" for a parameter, "$env:ICAV2_PROFILE = 'prod'" for a variable.</summary>
        private static string Example(string source) =>
            Errors.Shown.Source(source) + (source.Contains("_") && source.ToUpperInvariant() == source ? " = 'prod'" : " prod");

        private static bool IsAllowed(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';

        private static IcaException Invalid(string parameterName, string problem) =>
            new IcaException(
                ErrorIds.InvalidProfileName,
                IcaErrorKind.InvalidArgument,
                $"{problem} Use letters, digits, '.', '-' and '_' (first character a letter, digit or '_'), for example {Example(parameterName)}.",
                parameterName);
    }
}
