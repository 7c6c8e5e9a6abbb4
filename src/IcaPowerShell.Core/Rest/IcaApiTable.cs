using System;
using System.Collections.Generic;
using System.Linq;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>The media types ICA declares for an operation's success answers or request body.</summary>
    [Flags]
    public enum MediaKinds
    {
        None = 0,
        V3 = 1,
        V4 = 2,
        Json = 4,
        OctetStream = 8,
        Multipart = 16,
        Form = 32,
        Other = 64,
    }

    /// <summary>One operation of ICA's API: its method, its path template, and its media types.</summary>
    public sealed record ApiOperation(string Method, string Template, MediaKinds Answers, MediaKinds Body)
    {
        private readonly string[] segments = Template.Trim('/').Split('/');

        /// <summary>
        /// How well PATH fits the template: -1 when it does not; else 2 for each literal segment
        /// and 1 for each parameter with a literal suffix ("{projectId}:hide"), so the most
        /// specific template wins.
        /// </summary>
        internal int Match(string[] path)
        {
            if (path.Length != segments.Length)
            {
                return -1;
            }

            var score = 0;
            for (var i = 0; i < path.Length; i++)
            {
                var segment = segments[i];
                var close = segment.StartsWith("{", StringComparison.Ordinal) ? segment.IndexOf('}') : -1;
                if (close < 0)
                {
                    if (!string.Equals(segment, path[i], StringComparison.Ordinal))
                    {
                        return -1;
                    }

                    score += 2;
                    continue;
                }

                var suffix = segment.Substring(close + 1);
                if (path[i].Length <= suffix.Length || !path[i].EndsWith(suffix, StringComparison.Ordinal))
                {
                    return -1;
                }

                score += suffix.Length > 0 ? 1 : 0;
            }

            return score;
        }
    }

    /// <summary>
    /// ICA's operations, compiled from its OpenAPI document at build time (IcaApiTable.g.cs), and
    /// what a request needs from them: the Accept and Content-Type of an operation.
    /// </summary>
    public static partial class IcaApiTable
    {
        public static int Count => Operations.Length;

        /// <summary>The operation PATH (relative to /ica/rest, unescaped segments) fits best, or null.</summary>
        public static ApiOperation? Find(string method, string[] apiPath)
        {
            ApiOperation? best = null;
            var bestScore = -1;
            foreach (var operation in Operations)
            {
                if (!string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var score = operation.Match(apiPath);
                if (score > bestScore)
                {
                    best = operation;
                    bestScore = score;
                }
            }

            return best;
        }

        /// <summary>Templates under /api/ that start with PREFIX (without "/api/"), for tab completion.</summary>
        public static IEnumerable<string> Templates(string prefix) =>
            Operations.Select(o => o.Template.Substring("/api/".Length))
                .Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(t => t, StringComparer.Ordinal);

        /// <summary>The methods ICA declares for the path (template or concrete) PATH.</summary>
        public static IEnumerable<string> Methods(string path)
        {
            var segments = ("api/" + path.Trim('/')).Split('/');
            return Operations.Where(o => o.Match(segments) >= 0 || o.Template.Substring(1) == string.Join("/", segments)).Select(o => o.Method).Distinct();
        }
    }
}
