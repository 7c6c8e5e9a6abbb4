using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// ICA's answers to API calls as errors: a problem+json body keeps ICA's code (its title) as
    /// the error id, with the status, the detail and the invalid parameters; anything else (a
    /// gateway's page) is summarised. The target is the method and path, never the token.
    /// </summary>
    internal static class RestErrors
    {
        private static readonly Regex IcaCode = new Regex("^[A-Z][A-Z0-9_]{2,60}$", RegexOptions.CultureInvariant);

        public static IcaException FromResponse(HttpResponseMessage response, string body, RestCall call, Redaction secrets)
        {
            var status = (int)response.StatusCode;
            var target = $"{call.Method} {call.Target.Display}";
            var (code, said) = ResponseErrors.WhatItSaid(response, body, secrets);
            said += Parameters(body, secrets);
            // A rate limit or a server failure is the same error as from the token endpoint (StatusTable); otherwise ICA's own code.
            var shared = StatusTable.Shared(status);
            var id = shared?.Id ?? (code != null && IcaCode.IsMatch(code) ? code : "IcaHttp" + status);
            return new IcaException(id, shared?.Kind ?? Kind(status, call), $"{target} failed. {said}.", target)
            {
                IcaErrorCode = code,
                HttpStatus = status,
                ErrorBody = body.Length == 0 ? null : SecretRegistry.CleanBody(body, secrets, 16 * 1024),
            };
        }

        private static IcaErrorKind Kind(int status, RestCall call)
        {
            switch (status)
            {
                case 400:
                case 422:
                    return IcaErrorKind.InvalidArgument;
                case 401:
                    return IcaErrorKind.AuthenticationError;
                case 403:
                    return IcaErrorKind.PermissionDenied;
                case 404:
                    return IcaErrorKind.ObjectNotFound;
                case 409:
                    // A POST meets what exists; a PUT with If-Match meets a newer version.
                    return call.Method == "POST" ? IcaErrorKind.ResourceExists : IcaErrorKind.ResourceBusy;
                default:
                    return IcaErrorKind.ProtocolError;
            }
        }

        /// <summary>" (parameters: name: reason; ...)" from a validation problem, or nothing.</summary>
        private static string Parameters(string body, Redaction secrets)
        {
            var match = Regex.Match(body, "\"parameters\"\\s*:\\s*\\{(?<inner>[^{}]*)\\}", RegexOptions.CultureInvariant);
            if (!match.Success)
            {
                return string.Empty;
            }

            var pairs = Regex.Matches(match.Groups["inner"].Value, "\"(?<k>[^\"]*)\"\\s*:\\s*\"(?<v>[^\"]*)\"", RegexOptions.CultureInvariant)
                .Cast<Match>()
                .Select(m => $"{m.Groups["k"].Value}: {m.Groups["v"].Value}")
                .ToList();
            return pairs.Count == 0 ? string.Empty : " (parameters: " + ResponseErrors.Clean(string.Join("; ", pairs), secrets, 300) + ")";
        }
    }
}
