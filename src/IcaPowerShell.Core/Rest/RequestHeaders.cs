using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// The caller's -Headers and -ContentType, checked as Invoke-RestMethod checks them before
    /// anything is sent: a CR, LF or NUL in a value would let the caller's text end the header and
    /// start another request (carrying the token, which is added after it); a name must be an
    /// HTTP token; the headers the client itself owns cannot be set.
    /// </summary>
    public static class RequestHeaders
    {
        /// <summary>Set by the client from the session, the body or the connection: never by the caller.</summary>
        private static readonly string[] Owned = { "Authorization", "Content-Length", "Host", "Transfer-Encoding" };

        // RFC 9110 tchar, besides letters and digits.
        private const string TokenSymbols = "!#$%&'*+-.^_`|~";

        public static IReadOnlyDictionary<string, string>? From(IDictionary? headers)
        {
            if (headers == null)
            {
                return null;
            }

            var checkedHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in headers)
            {
                var name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                if (name.Length == 0 || !name.All(c => c < 128 && (char.IsLetterOrDigit(c) || TokenSymbols.IndexOf(c) >= 0)))
                {
                    throw Invalid($"The header name '{Shown.Value(name)}' is not valid: use letters, digits and - only (no space, colon or line break).", "Headers");
                }

                if (Owned.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new IcaException(
                        ErrorIds.HeaderNotAllowed,
                        IcaErrorKind.InvalidArgument,
                        $"-Headers cannot set {name}: Invoke-IcaRestMethod sets it itself ({(name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? "the session's token; use -Profile, -ApiKey or -Credential" : "from the request")}).",
                        "Headers");
                }

                checkedHeaders[name] = Value(entry.Value is IEnumerable many && !(entry.Value is string) ? string.Join(", ", many.Cast<object?>()) : Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture), name, "Headers");
            }

            return checkedHeaders;
        }

        /// <summary>VALUE, refused when it holds CR, LF or NUL (what could end the header line).</summary>
        public static string Value(string? value, string name, string parameter)
        {
            var text = value ?? string.Empty;
            if (text.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
            {
                throw Invalid($"The value of {(parameter == "Headers" ? "the header " + name : "-" + parameter)} holds a line break or NUL character ('{Shown.Value(text, 40)}'); these are not allowed in header values.", parameter);
            }

            if (text.Any(c => c > '~'))
            {
                // .NET sends header values as ASCII and refuses others only when the request goes out, after the token.
                throw Invalid($"The value of {(parameter == "Headers" ? "the header " + name : "-" + parameter)} holds characters outside ASCII ('{Shown.Value(text, 40)}'); HTTP header values here must be ASCII. Percent-encode them ([uri]::EscapeDataString) if the server expects that.", parameter);
            }

            return text;
        }

        private static IcaException Invalid(string message, string parameter) =>
            new IcaException(ErrorIds.InvalidHeader, IcaErrorKind.InvalidArgument, message, parameter);
    }
}
