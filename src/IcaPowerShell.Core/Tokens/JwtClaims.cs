using System;
using System.Globalization;
using System.Text;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>
    /// The claims this module reads from an ICA JWT. The signature is not checked: the token came
    /// from the server over TLS, and ICA checks it on every call; we only need to know when it ends.
    /// </summary>
    public sealed class JwtClaims
    {
        private JwtClaims(DateTimeOffset expiresOn, DateTimeOffset? issuedAt, string? subject, string? tenant)
        {
            ExpiresOn = expiresOn;
            IssuedAt = issuedAt;
            Subject = subject;
            Tenant = tenant;
        }

        public DateTimeOffset ExpiresOn { get; }

        public DateTimeOffset? IssuedAt { get; }

        public string? Subject { get; }

        /// <summary>The tenant name, ICA's 'tns' claim.</summary>
        public string? Tenant { get; }

        /// <summary>Null when the text is not a JWT with a numeric 'exp' claim.</summary>
        public static JwtClaims? TryParse(string? jwt)
        {
            if (jwt == null || jwt.Length > 16 * 1024)
            {
                return null;
            }

            var parts = jwt.Split('.');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return null;
            }

            var payload = DecodeBase64Url(parts[1]);
            var claims = payload == null ? null : FlatJson.TryParseObject(payload);
            if (claims == null || !claims.TryGetValue("exp", out var expText) || !TryReadSeconds(expText, out var exp))
            {
                return null;
            }

            DateTimeOffset? issuedAt = claims.TryGetValue("iat", out var iatText) && TryReadSeconds(iatText, out var iat) ? iat : (DateTimeOffset?)null;
            claims.TryGetValue("sub", out var subject);
            claims.TryGetValue("tns", out var tenant);
            // Claims reach the console in tables and messages: a terminal escape in them must not act.
            return new JwtClaims(exp, issuedAt, Printable(subject), Printable(tenant));
        }

        private static string? Printable(string? claim) => claim == null ? null : Errors.Shown.EscapeControl(claim);

        private static bool TryReadSeconds(string text, out DateTimeOffset value)
        {
            value = default;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > 253402300799)
            {
                return false;
            }

            value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            return true;
        }

        private static string? DecodeBase64Url(string segment)
        {
            var base64 = segment.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64));
            }
            catch (Exception ex) when (ex is FormatException || ex is DecoderFallbackException)
            {
                return null;
            }
        }
    }
}
