using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Diagnostics;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// What the handlers of the pipeline need to know about one request, carried on the request:
    /// the handlers are pooled by the IHttpClientFactory and shared by every runspace of the
    /// process, so they hold no state of their own. Every request sent through
    /// <see cref="HttpClientProvider"/> carries one.
    /// </summary>
    internal sealed class HttpCall
    {
        private const string Key = "IcaPowerShell.HttpCall";

        public IcaHttpOptions Options { get; init; } = new IcaHttpOptions();

        public string Method { get; init; } = "GET";

        /// <summary>The URL as verbose lines show it: the query's secret-looking values cut.</summary>
        public string ShownUrl { get; init; } = string.Empty;

        /// <summary>What errors name: "GET /projects", or the token endpoint's URL.</summary>
        public string Display { get; init; } = string.Empty;

        /// <summary>Sending it twice changes nothing more: only then is a failure that may have reached the server retried.</summary>
        public bool Idempotent { get; init; }

        /// <summary>For each attempt, from the request to the end of a buffered body.</summary>
        public TimeSpan Timeout { get; init; }

        /// <summary>The body is read whole within the attempt, at most this many bytes; null when the caller streams it.</summary>
        public long? BufferLimit { get; init; }

        /// <summary>What to do when the body is over <see cref="BufferLimit"/>; appended to the error.</summary>
        public string TooLargeAdvice { get; init; } = string.Empty;

        /// <summary>What is cut from every line and error of this call; grows when the bearer handler gets a new token.</summary>
        public Redaction Secrets { get; set; } = Redaction.None;

        /// <summary>The token for the Authorization header (asked with true: a new one); null when the request carries its own credential.</summary>
        public Func<bool, CancellationToken, Task<string>>? Bearer { get; init; }

        /// <summary>The only scheme, host and port the bearer token is sent to.</summary>
        public Uri? BearerServer { get; init; }

        /// <summary>Set by the retry handler, for the diagnostics line.</summary>
        public int Attempt { get; set; } = 1;

        public int Attempts { get; set; } = 1;

        public static HttpCall Of(HttpRequestMessage request) =>
            request.Properties.TryGetValue(Key, out var call) && call is HttpCall found
                ? found
                : throw new InvalidOperationException("A request was sent without its HttpCall: send through HttpCall.SendAsync.");

        /// <summary>Sends REQUEST through the pipeline (retry, bearer, diagnostics, network) with this call's settings.</summary>
        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ProxySelection? proxy, CancellationToken cancellationToken)
        {
            request.Properties[Key] = this;

            // What every request of the module carries, unless the caller's -Headers said otherwise.
            if (request.Headers.AcceptEncoding.Count == 0)
            {
                request.Headers.AcceptEncoding.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("gzip"));
            }

            if (!request.Headers.Contains("User-Agent"))
            {
                request.Headers.TryAddWithoutValidation("User-Agent", HttpShared.UserAgent);
            }

            // Plain http goes only to loopback (ServerAddress allows nothing else), and never
            // through a proxy: a proxy must not see a key or a token in clear text.
            var direct = request.RequestUri!.Scheme == Uri.UriSchemeHttp;
            return HttpClientProvider.Create(direct ? null : proxy, direct).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        /// <summary>The one route of the engine's diagnostics: the options' sink (tests), else the running cmdlet's verbose stream.</summary>
        public void Log(string line) => Options.Log(line);
    }
}
