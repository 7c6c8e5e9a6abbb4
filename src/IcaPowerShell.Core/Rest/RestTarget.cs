using System;
using System.Collections;
using System.Linq;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// Where a request goes: -Path relative to https://server/ica/rest/api/ ("projects",
    /// "/api/projects" and "/ica/rest/api/projects" mean the same), or an absolute URL on the
    /// session's own server only, so a token is never sent to another host.
    /// </summary>
    public sealed record RestTarget(Uri Uri, string[] ApiSegments)
    {
        /// <summary>"/api/projects/p1", what error messages and verbose lines show (no query: it may hold anything).</summary>
        public string Display => "/" + string.Join("/", ApiSegments);

        public static RestTarget Build(ServerAddress server, string path, IDictionary? query)
        {
            var text = path.Trim();
            string? givenQuery = null;
            if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
            {
                if (!SameServer(absolute, server.BaseUri))
                {
                    throw new IcaException(
                        ErrorIds.ForeignHost,
                        IcaErrorKind.SecurityError,
                        $"'{Shown.Value(absolute.GetLeftPart(UriPartial.Authority))}' is not the session's server ({server.Display}); the token is sent only there. Pass a path such as projects, or -ServerUrl for another server.",
                        "Path");
                }

                text = absolute.AbsolutePath;
                givenQuery = absolute.Query.TrimStart('?');
            }
            else if (text.IndexOf('?') is var mark && mark >= 0)
            {
                givenQuery = text.Substring(mark + 1);
                text = text.Substring(0, mark);
            }

            var relative = text.Trim('/');
            foreach (var prefix in new[] { "ica/rest/api/", "api/" })
            {
                if (relative.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    relative = relative.Substring(prefix.Length);
                    break;
                }
            }

            var segments = new[] { "api" }.Concat(relative.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString)).ToArray();
            var escaped = string.Join("/", segments.Select(Uri.EscapeDataString));
            var queryText = Join(givenQuery, QueryText(query));
            var uri = new Uri(server.BaseUri, "ica/rest/" + escaped + (queryText.Length == 0 ? string.Empty : "?" + queryText));
            return new RestTarget(uri, segments);
        }

        /// <summary>A copy with QUERY's names set to the given values (paging), the rest kept.</summary>
        public RestTarget WithQuery(string name, string? value)
        {
            var kept = Uri.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !string.Equals(Uri.UnescapeDataString(p.Split('=')[0]), name, StringComparison.Ordinal));
            var added = value == null ? Enumerable.Empty<string>() : new[] { Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value) };
            var query = string.Join("&", kept.Concat(added));
            return this with { Uri = new Uri(Uri.GetLeftPart(UriPartial.Path) + (query.Length == 0 ? string.Empty : "?" + query)) };
        }

        /// <summary>The value of query parameter NAME, or null.</summary>
        public string? Query(string name) =>
            Uri.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split(new[] { '=' }, 2))
                .Where(p => string.Equals(Uri.UnescapeDataString(p[0]), name, StringComparison.Ordinal))
                .Select(p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty)
                .FirstOrDefault();

        private static bool SameServer(Uri candidate, Uri server) =>
            candidate.Scheme == server.Scheme && candidate.Port == server.Port && string.Equals(candidate.IdnHost, server.IdnHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);

        private static string QueryText(IDictionary? query)
        {
            if (query == null)
            {
                return string.Empty;
            }

            var text = new StringBuilder();
            foreach (DictionaryEntry entry in query)
            {
                var values = entry.Value is IEnumerable many && !(entry.Value is string) ? many.Cast<object?>() : new[] { entry.Value };
                foreach (var value in values)
                {
                    text.Append(text.Length == 0 ? string.Empty : "&")
                        .Append(Uri.EscapeDataString(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty))
                        .Append('=')
                        .Append(Uri.EscapeDataString(Format(value)));
                }
            }

            return text.ToString();
        }

        private static string Format(object? value) => value switch
        {
            null => string.Empty,
            bool flag => flag ? "true" : "false",
            DateTime time => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        };

        private static string Join(string? a, string b) =>
            string.IsNullOrEmpty(a) ? b : b.Length == 0 ? a! : a + "&" + b;
    }
}
