using System.Text;
using System.Text.RegularExpressions;

namespace IcaPowerShell.Core.Errors
{
    /// <summary>
    /// How user-supplied text appears inside a message: control characters escaped (a terminal
    /// must not act on them), URL user information masked, and long values cut, so an error stays
    /// one readable line whatever was typed or set.
    /// </summary>
    public static class Shown
    {
        private static readonly Regex UserInfo = new Regex(@"(?<=//)[^/@\s]*@", RegexOptions.CultureInvariant);

        public static string Value(string? text, int maxLength = 80)
        {
            if (text == null)
            {
                return string.Empty;
            }

            var masked = UserInfo.Replace(text, "***@");
            var cut = masked.Length > maxLength ? masked.Substring(0, maxLength) : masked;
            return EscapeControl(cut) + (masked.Length > maxLength ? $"… ({masked.Length} characters)" : string.Empty);
        }

        /// <summary>TEXT ending with a full stop (or another end mark), ready for the sentence after it.</summary>
        public static string Sentence(string text)
        {
            var trimmed = text.TrimEnd();
            return trimmed.Length == 0 || ".!?".IndexOf(trimmed[trimmed.Length - 1]) >= 0 ? trimmed : trimmed + ".";
        }

        /// <summary>Control characters as \u001b; everything else as it is.</summary>
        public static string EscapeControl(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (char.IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        /// <summary>How a user supplies SOURCE: "-ServerUrl" for a parameter, "$env:ICAV2_SERVER_URL" for a variable.</summary>
        public static string Source(string source) =>
            source.Contains("_") && source.ToUpperInvariant() == source ? "$env:" + source : "-" + source;

        /// <summary>"Pass -ServerUrl x" or "Set $env:ICAV2_SERVER_URL to x".</summary>
        public static string Give(string source, string value) =>
            source.Contains("_") && source.ToUpperInvariant() == source ? $"Set $env:{source} to {value}" : $"Pass -{source} {value}";
    }
}
