using System;

namespace IcaPowerShell.Core.Configuration
{
    /// <summary>How an environment variable reads as a switch: 1/true/yes/on, 0/false/no/off (any case), anything else the default.</summary>
    internal static class Switches
    {
        public static bool IsOn(string? value, bool whenUnset) => Read(value) ?? whenUnset;

        /// <summary>Whether VALUE is one of the words <see cref="IsOn"/> reads (empty counts as unset, so known).</summary>
        public static bool IsKnown(string? value) => string.IsNullOrWhiteSpace(value) || Read(value) != null;

        private static bool? Read(string? value)
        {
            var text = value?.Trim();
            if (text == "1" || Is(text, "true") || Is(text, "yes") || Is(text, "on"))
            {
                return true;
            }

            if (text == "0" || Is(text, "false") || Is(text, "no") || Is(text, "off"))
            {
                return false;
            }

            return null;
        }

        private static bool Is(string? text, string word) => string.Equals(text, word, StringComparison.OrdinalIgnoreCase);
    }
}
