using System;
using System.IO;
using System.Net.Http;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Http
{
    /// <summary>What the token client and the REST client share: backoff, Retry-After, bounded body reads, the User-Agent.</summary>
    internal static class HttpShared
    {
        public static readonly string UserAgent = BuildUserAgent();

        /// <summary>The wait before attempt ATTEMPT+1: Retry-After when the server gave one (null when too long), else exponential backoff with ±50% jitter.</summary>
        public static TimeSpan? NextDelay(IcaHttpOptions options, int attempt, TimeSpan? retryAfter, Random random)
        {
            if (retryAfter.HasValue)
            {
                return retryAfter.Value <= options.MaxRetryAfter ? retryAfter : (TimeSpan?)null;
            }

            var backoff = options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            return TimeSpan.FromMilliseconds(backoff * (0.5 + random.NextDouble()));
        }

        public static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta != null)
            {
                return header.Delta;
            }

            if (header?.Date != null)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }

            return null;
        }

        /// <summary>
        /// Reads at most 64 KiB, within the attempt's timeout: a token answer is a few hundred bytes,
        /// an error body needs only its start.
        /// </summary>
        public static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken, int limit = 64 * 1024)
        {
            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var chunk = new byte[4096];
            using (var body = new MemoryStream())
            {
                int read;
                while (body.Length < limit && (read = await stream.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, limit - body.Length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    body.Write(chunk, 0, read);
                }

                return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
            }
        }

        public static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        private static string BuildUserAgent()
        {
            var version = typeof(HttpShared).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0.0";
            var runtime = RuntimeInformation.FrameworkDescription.Replace('(', ' ').Replace(')', ' ').Trim();
            return $"IcaPowerShell/{version} ({runtime}; {RuntimeInformation.OSDescription.Replace('(', ' ').Replace(')', ' ').Trim()})";
        }
    }
}
