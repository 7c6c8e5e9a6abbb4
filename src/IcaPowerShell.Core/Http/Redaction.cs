using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// The secrets of one call, in every form a server, a proxy or the runtime could echo back:
    /// as given, base64-encoded (a Basic pair is sent that way), URL-escaped, and each part of a
    /// JWT. <see cref="Apply"/> masks any run of 8 or more characters that is part of one of them,
    /// ignoring case, so a shortened, lower-cased or re-encoded echo is cut as well.
    /// </summary>
    internal sealed class Redaction
    {
        /// <summary>Shorter runs are too likely to be ordinary words.</summary>
        public const int MinimumRun = 8;

        public static readonly Redaction None = new Redaction(Array.Empty<string>());

        private readonly string[] forms;

        private Redaction(IEnumerable<string> forms)
        {
            this.forms = forms.Where(f => f.Length >= MinimumRun).Distinct(StringComparer.Ordinal).ToArray();
        }

        /// <summary>Whether SECRET is one of the secrets (as given) this cuts.</summary>
        public bool Covers(string secret) => Array.IndexOf(forms, secret) >= 0;

        public static Redaction Of(params string?[] secrets)
        {
            var forms = new List<string>();
            foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!))
            {
                forms.Add(secret);
                forms.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='));
                forms.Add(Uri.EscapeDataString(secret));
                forms.AddRange(secret.Split('.'));
            }

            return new Redaction(forms);
        }

        /// <summary>
        /// The secrets of a Basic credential: the password, user:password (whose base64 is what is sent),
        /// and the header value "Basic base64(user:password)", which a proxy may echo re-encoded.
        /// </summary>
        public static string[] BasicSecrets(string userName, string password)
        {
            var pair = userName + ":" + password;
            return new[] { password, pair, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)) };
        }

        public static Redaction OfBasic(string userName, string password, params string?[] others) =>
            Of(BasicSecrets(userName, password).Concat(others).ToArray());

        public Redaction With(params string?[] secrets) => new Redaction(forms.Concat(Of(secrets).forms));

        public Redaction With(Redaction other) => new Redaction(forms.Concat(other.forms));

        public string Apply(string text)
        {
            if (forms.Length == 0 || text.Length < MinimumRun)
            {
                return text;
            }

            var masked = new bool[text.Length];
            foreach (var form in forms)
            {
                MarkCommonRuns(text, form, masked);
            }

            if (!masked.Any(m => m))
            {
                return text;
            }

            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (!masked[i])
                {
                    builder.Append(text[i]);
                }
                else if (i == 0 || !masked[i - 1])
                {
                    builder.Append("***");
                }
            }

            return builder.ToString();
        }

        /// <summary>Marks every run of at least <see cref="MinimumRun"/> characters of TEXT that also occurs in SECRET.</summary>
        private static void MarkCommonRuns(string text, string secret, bool[] masked)
        {
            // Longest common suffix lengths, row by row: O(text x secret), both short here.
            var previous = new int[secret.Length + 1];
            var current = new int[secret.Length + 1];
            for (var i = 1; i <= text.Length; i++)
            {
                for (var j = 1; j <= secret.Length; j++)
                {
                    current[j] = char.ToLowerInvariant(text[i - 1]) == char.ToLowerInvariant(secret[j - 1]) ? previous[j - 1] + 1 : 0;
                    if (current[j] >= MinimumRun)
                    {
                        for (var k = i - current[j]; k < i; k++)
                        {
                            masked[k] = true;
                        }
                    }
                }

                var swap = previous;
                previous = current;
                current = swap;
            }
        }
    }
}
