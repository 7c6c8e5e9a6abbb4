using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// Turns ICA's answers into tokens or errors. Problem+json answers keep ICA's code (title),
    /// the status and the detail; anything else (a proxy's or gateway's page) is summarised by
    /// status, content type and a short cleaned excerpt. Any text that could be a secret is cut.
    /// </summary>
    internal static class ResponseErrors
    {
        public static MintedJwt ReadToken(string body, HttpResponseMessage response, string target, Redaction secret)
        {
            var members = FlatJson.TryParseObject(body);
            if (members == null || !members.TryGetValue("token", out var jwt))
            {
                throw new IcaException(
                    ErrorIds.InvalidResponse,
                    IcaErrorKind.ProtocolError,
                    $"ICA answered POST {target} with 200 but without a token ({Summary(response, body, secret)}). Check that the server URL points at ICA, not at a proxy or portal page.",
                    target) { HttpStatus = 200 };
            }

            var claims = JwtClaims.TryParse(jwt) ?? throw new IcaException(
                ErrorIds.InvalidResponse,
                IcaErrorKind.ProtocolError,
                $"ICA answered POST {target} with a token that is not a JWT with an expiry (exp) claim. Check that the server URL points at ICA.",
                target) { HttpStatus = 200 };
            return new MintedJwt(jwt, claims);
        }

        public static IcaException FromResponse(HttpResponseMessage response, string body, string target, CallKind kind, Redaction secret)
        {
            var status = (int)response.StatusCode;
            var (code, said) = WhatItSaid(response, body, secret);
            said += ".";
            code = Clean(code, secret, 80);

            string id;
            IcaErrorKind errorKind;
            string advice;
            switch (status)
            {
                case 401 when kind == CallKind.ApiKey:
                    id = ErrorIds.ApiKeyRejected;
                    errorKind = IcaErrorKind.AuthenticationError;
                    advice = "The API key was rejected. Check it, or enter it again with Set-IcaConfig -ApiKey; if it was revoked or expired, create a new key in the Illumina portal (your name > API keys).";
                    break;
                case 401:
                    id = ErrorIds.CredentialRejected;
                    errorKind = IcaErrorKind.AuthenticationError;
                    advice = kind == CallKind.Refresh
                        ? "The token could not be refreshed; a new one will be minted on the next call."
                        : "The e-mail, password or tenant was rejected. Basic authentication does not work for tenants with single sign-on: use an API key there.";
                    break;
                case 403:
                    id = ErrorIds.AccessDenied;
                    errorKind = IcaErrorKind.PermissionDenied;
                    advice = "The credential is valid but not allowed to create tokens here: check the key's workgroups and the tenant.";
                    break;
                case 429:
                    (id, errorKind) = StatusTable.Shared(status)!.Value;
                    advice = response.Headers.RetryAfter != null ? $"ICA limits the request rate; it asks to wait {RetryAfterText(response)} before trying again." : "ICA limits the request rate; wait a little and try again.";
                    break;
                case 400:
                    id = ErrorIds.BadRequest;
                    errorKind = IcaErrorKind.InvalidArgument;
                    advice = "ICA refused the request as malformed; check the server URL and the -Tenant value.";
                    break;
                default:
                    (id, errorKind) = StatusTable.Shared(status) ?? (status >= 300 && status < 400 ? ErrorIds.InvalidResponse : ErrorIds.ServerError, IcaErrorKind.ProtocolError);
                    advice = status >= 300 && status < 400
                        ? $"The server redirected the request{(response.Headers.Location != null ? " to " + Clean(response.Headers.Location.ToString(), secret, 200) : string.Empty)}; credentials are never sent on a redirect. Use the final server URL with -ServerUrl."
                        : "ICA or a gateway in front of it failed; try again later, and check the ICA status page if it persists.";
                    break;
            }

            return new IcaException(id, errorKind, $"POST {target} failed. {said} {advice}", target)
            {
                IcaErrorCode = code,
                HttpStatus = status,
            };
        }

        /// <summary>
        /// What an error answer says, for a message, from either endpoint: ICA's problem+json code
        /// (its title, as sent) and "ICA said 404 CODE: detail", else "The server answered 502 Bad
        /// Gateway (text/html: "excerpt")", markup stripped, secrets cut.
        /// </summary>
        internal static (string? Code, string Said) WhatItSaid(HttpResponseMessage response, string body, Redaction secret)
        {
            var status = (int)response.StatusCode;
            var problem = IsJson(response) ? FlatJson.TryParseObject(body) : null;
            string? code = null;
            string? detail = null;
            problem?.TryGetValue("title", out code);
            problem?.TryGetValue("detail", out detail);
            var cleanDetail = Clean(detail, secret, 300);
            return code != null || detail != null
                ? (code, $"ICA said {status} {Clean(code, secret, 80)}{(cleanDetail != null ? ": " + cleanDetail : string.Empty)}")
                : (null, $"The server answered {status} {Clean(response.ReasonPhrase, secret, 60)} ({Summary(response, body, secret)})");
        }

        private static string RetryAfterText(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter!;
            return header.Delta.HasValue ? $"{header.Delta.Value.TotalSeconds:0} s" : $"until {header.Date:u}";
        }

        private static bool IsJson(HttpResponseMessage response)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            return mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        }

        private static string Summary(HttpResponseMessage response, string body, Redaction secret)
        {
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            var excerpt = Clean(StripMarkup(body), secret, 120);
            return excerpt == null ? $"{type}, empty body" : $"{type}: \"{excerpt}\"";
        }

        private static string StripMarkup(string body) => Regex.Replace(body, "<[^>]*>", " ");

        /// <summary>Removes control characters, folds white space, cuts JWT-like and secret text, and shortens.</summary>
        internal static string? Clean(string? text, Redaction secret, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            // Tokens first, over the whole text (a cut could hide a token's shape); then cut, since
            // redaction compares every character with every secret form and only the start is
            // shown. A secret cut at the edge keeps under 8 characters, too few to matter.
            var cleaned = SecretRegistry.JwtLike.Replace(text!, "[token]");
            cleaned = secret.Apply(cleaned.Length > maxLength + 200 ? cleaned.Substring(0, maxLength + 200) : cleaned);
            var builder = new StringBuilder(Math.Min(cleaned.Length, maxLength + 1));
            var lastWasSpace = false;
            foreach (var c in cleaned.Where(c => !char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                var space = char.IsWhiteSpace(c);
                if (space && (lastWasSpace || builder.Length == 0))
                {
                    continue;
                }

                builder.Append(space ? ' ' : c);
                lastWasSpace = space;
                if (builder.Length > maxLength)
                {
                    break;
                }
            }

            var result = builder.ToString().Trim();
            return result.Length > maxLength ? result.Substring(0, maxLength) + "…" : result;
        }
    }
}
