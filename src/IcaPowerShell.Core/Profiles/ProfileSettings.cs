using System;
using System.Collections.Generic;
using System.Linq;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>The YAML keys of a profile (icav2's own names) and the values they accept.</summary>
    public static class ProfileSettings
    {
        public const string ServerUrlKey = "server-url";
        public const string ApiKeyKey = "x-api-key";
        public const string OutputFormatKey = "output-format";
        public const string ColorModeKey = "colormode";
        public const string ProjectIdKey = "project-id";

        public static readonly IReadOnlyList<string> OutputFormats = new[] { "table", "yaml", "json" };
        public static readonly IReadOnlyList<string> ColorModes = new[] { "none", "dark", "light" };

        public const string DefaultOutputFormat = "table";
        public const string DefaultColorMode = "none";

        public static string ValidateOutputFormat(string? value, string source) => ValidateChoice(value, OutputFormats, source);

        public static string ValidateColorMode(string? value, string source) => ValidateChoice(value, ColorModes, source);

        private static string ValidateChoice(string? value, IReadOnlyList<string> allowed, string source)
        {
            var match = allowed.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match == null)
            {
                throw new IcaException(
                    ErrorIds.InvalidSetting,
                    IcaErrorKind.InvalidArgument,
                    $"'{value}' is not a valid value for {source}. Allowed values: {string.Join(", ", allowed)}.",
                    source);
            }

            return match;
        }
    }
}
