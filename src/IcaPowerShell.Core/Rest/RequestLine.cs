using System;
using System.Collections.Generic;
using System.Linq;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// The method and path of Invoke-IcaRestMethod from its two positional parameters. Both
    /// "Invoke-IcaRestMethod Get projects" and "Invoke-IcaRestMethod projects" must work, so a
    /// lone first argument that is not a method is the path, sent with GET.
    /// </summary>
    public sealed record RequestLine(string Method, string Path)
    {
        public static readonly IReadOnlyList<string> Methods = new[] { "Get", "Post", "Put", "Delete", "Patch" };

        public static RequestLine From(string? method, string? path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                if (!string.IsNullOrWhiteSpace(method) && !IsMethod(method!))
                {
                    return new RequestLine("GET", method!.Trim());
                }

                throw new IcaException(
                    ErrorIds.PathRequired,
                    IcaErrorKind.InvalidArgument,
                    "Give -Path, the API path to call: for example 'Invoke-IcaRestMethod projects' or 'Invoke-IcaRestMethod Post projects -Body $body'.",
                    "Path");
            }

            var verb = string.IsNullOrWhiteSpace(method) ? "GET" : method!.Trim();
            if (!IsMethod(verb))
            {
                throw new IcaException(
                    ErrorIds.InvalidMethod,
                    IcaErrorKind.InvalidArgument,
                    $"-Method '{Shown.Value(verb)}' is not one of {string.Join(", ", Methods)}.",
                    "Method");
            }

            return new RequestLine(verb.ToUpperInvariant(), path!.Trim());
        }

        private static bool IsMethod(string text) => Methods.Any(m => m.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
