using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// API calls to one server with the session's token: a request in (<see cref="RestCall"/>), an
    /// answer out, or, with -All, a sequence of pages. Timeouts, retries, the token and the 401
    /// renewal, and the verbose lines are the pipeline's (HttpClientProvider); here are ICA's
    /// headers and what an answer that is an HTTP error means.
    /// </summary>
    public sealed class IcaRestClient
    {
        private readonly IcaHttpOptions options;
        private readonly Func<bool, CancellationToken, Task<string>> bearer;

        /// <param name="bearer">The token for SERVER; asked with true, a new one.</param>
        public IcaRestClient(ServerAddress server, IcaHttpOptions options, Func<bool, CancellationToken, Task<string>> bearer)
        {
            Server = server;
            this.options = options;
            this.bearer = bearer;
        }

        /// <summary>The server the token is for: the only one calls go to.</summary>
        public ServerAddress Server { get; }

        public IcaHttpOptions Options => options;

        /// <summary>
        /// The answer, headers read and, unless the call streams it, its body too: the caller reads
        /// or streams it, and disposes it. An HTTP error is thrown as ICA's error, unless the call
        /// skips that check.
        /// </summary>
        public async Task<HttpResponseMessage> SendAsync(RestCall call, CancellationToken cancellationToken)
        {
            var http = new HttpCall
            {
                Options = options,
                Method = call.Method,
                ShownUrl = call.Target.ShownUrl,
                Display = call.Target.Display,
                Idempotent = call.Idempotent,
                Timeout = call.Timeout ?? options.Timeout,
                Secrets = options.Secrets.Known.With(options.Proxy?.Password),
                BufferLimit = call.Streamed ? (long?)null : options.MaxResponseBytes,
                TooLargeAdvice = $"Save it with -OutFile (streamed, no limit), or raise the limit with $env:{IcaHttpOptions.MaxResponseVariable}.",
                Bearer = bearer,
                BearerServer = Server.BaseUri,
            };
            var response = await http.SendAsync(Build(call), options.Proxy, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if ((status >= 200 && status < 300) || call.SkipHttpErrorCheck)
            {
                return response;
            }

            using (response)
            using (var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                bodyTimeout.CancelAfter(http.Timeout);
                var body = await HttpShared.ReadBodyAsync(response, bodyTimeout.Token).ConfigureAwait(false);
                throw RestErrors.FromResponse(response, body, call, options.Secrets.ForServerText(http.Secrets));
            }
        }

        /// <summary>-All: the pages of FIRST, the next one asked for while the current one is written.</summary>
        /// <param name="wanted">The most items the caller writes; no page is asked for beyond them.</param>
        public RestPages Pages(RestCall first, long? wanted, CancellationToken cancellationToken) => new RestPages(this, first, wanted, cancellationToken);

        private static HttpRequestMessage Build(RestCall call)
        {
            var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Target.Uri);
            request.Headers.TryAddWithoutValidation("Accept", call.Accept);
            if (call.Body != null)
            {
                request.Content = new ByteArrayContent(call.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType ?? MediaTypes.Vendor(3));
            }

            foreach (var header in call.Headers ?? new Dictionary<string, string>())
            {
                if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    continue;   // the bearer handler's alone
                }

                if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && request.Content != null)
                {
                    request.Content.Headers.Remove("Content-Type");
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", header.Value);
                    continue;
                }

                request.Headers.Remove(header.Key);
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return request;
        }
    }
}
