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

        /// <summary>
        /// The URL as verbose lines show it: with the query, so a user sees the filter sent, but
        /// the values of names that look secret (token, key, secret, password, signature) cut.
        /// </summary>
        public string ShownUrl
        {
            get
            {
                var query = Uri.Query.TrimStart('?');
                if (query.Length == 0)
                {
                    return Uri.GetLeftPart(UriPartial.Path);
                }

                var pairs = query.Split('&').Select(p => p.Split(new[] { '=' }, 2)).Select(p =>
                    p.Length == 2 && SecretLooking.IsMatch(Uri.UnescapeDataString(p[0])) ? p[0] + "=***" : string.Join("=", p));
                return Uri.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", pairs);
            }
        }

        private static readonly System.Text.RegularExpressions.Regex SecretLooking = new System.Text.RegularExpressions.Regex(
            "^(?!pageToken$).*(token|key|secret|passw|pwd|sig|credential|auth)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Refuses, before anything is sent (even a token request), a -Path that Build would refuse.</summary>
        public static void Check(string path)
        {
            var text = path.Trim();
            if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
            {
                text = absolute.AbsolutePath;
            }

            var mark = text.IndexOf('?');
            text = mark >= 0 ? text.Substring(0, mark) : text;
            Segments(WithoutPrefix(text), text.TrimEnd().EndsWith("/", StringComparison.Ordinal), path);
        }

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

            var relative = WithoutPrefix(text);

            var segments = new[] { "api" }.Concat(Segments(relative, text.TrimEnd().EndsWith("/", StringComparison.Ordinal), path)).ToArray();
            var escaped = string.Join("/", segments.Select(Uri.EscapeDataString));
            var queryText = Join(givenQuery, QueryText(query));
            var uri = new Uri(server.BaseUri, "ica/rest/" + escaped + (queryText.Length == 0 ? string.Empty : "?" + queryText));
            return new RestTarget(uri, segments);
        }

        /// <summary>"projects" from "projects", "/api/projects" or "/ica/rest/api/projects".</summary>
        private static string WithoutPrefix(string text)
        {
            var relative = text.Trim('/');
            foreach (var prefix in new[] { "ica/rest/api/", "api/" })
            {
                if (relative.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return relative.Substring(prefix.Length);
                }
            }

            return relative;
        }

        /// <summary>
        /// The path's segments, unescaped; refused before anything is sent when one is empty
        /// ("projects/$unset/analyses" would become projects/analyses, "projects/$unset" the
        /// collection), is a template left unfilled ({projectId}), or is . or .. in any spelling
        /// (%2E%2E), which would leave /ica/rest/api on the same host.
        /// </summary>
        private static string[] Segments(string relative, bool trailingSlash, string given)
        {
            if (relative.Length == 0)
            {
                return Array.Empty<string>();
            }

            // "projects/" from "projects/$unset": a DELETE of the collection was never meant.

            var segments = relative.Split('/').Select(Uri.UnescapeDataString).ToArray();
            string? problem = null;
            if (segments.Any(s => s.Length == 0) || trailingSlash)
            {
                problem = "has an empty segment (an unset variable?)";
            }
            else if (segments.Any(s => s == "." || s == ".."))
            {
                problem = "has a . or .. segment, which could leave ICA's API";
            }
            else if (segments.FirstOrDefault(s => s.StartsWith("{", StringComparison.Ordinal) && s.EndsWith("}", StringComparison.Ordinal)) is string template)
            {
                problem = $"still has the placeholder {template}: put the value in its place";
            }

            if (problem != null)
            {
                throw new IcaException(ErrorIds.InvalidPath, IcaErrorKind.InvalidArgument, $"-Path '{Shown.Value(given, 200)}' {problem}; nothing was sent.", "Path");
            }

            return segments;
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
