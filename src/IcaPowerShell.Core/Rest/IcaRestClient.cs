using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// Sends one API call with the session's token. A 401 gets one new token and one more try;
    /// a 429 is retried for every method (Retry-After honoured); 502/503/504, timeouts and broken
    /// connections only for methods that may safely run twice (never a POST: it may have
    /// happened). The verbose stream gets the method, URL, status and time of each attempt,
    /// never a header value.
    /// </summary>
    public sealed class IcaRestClient
    {
        private readonly IcaHttpOptions options;

        public IcaRestClient(IcaHttpOptions options)
        {
            this.options = options;
        }

        /// <summary>
        /// The successful response, its headers read and its body not yet: the caller reads or
        /// streams it, and disposes it. BEARER gives the token; asked with true, a new one.
        /// </summary>
        public async Task<HttpResponseMessage> SendAsync(RestCall call, Func<bool, CancellationToken, Task<string>> bearer, CancellationToken cancellationToken)
        {
            var uri = call.Target.Uri;
            var shown = call.Target.ShownUrl;
            var timeout = call.Timeout ?? options.Timeout;
            var direct = uri.Scheme == Uri.UriSchemeHttp;
            var client = HttpClientProvider.Create(direct ? null : options.Proxy, direct);
            var attempts = options.RetryEnabled ? Math.Max(1, options.MaxAttempts) : 1;
            var jwt = await bearer(false, cancellationToken).ConfigureAwait(false);
            var secrets = options.Secrets.Known.With(jwt, options.Proxy?.Password);
            var renewed = false;
            Random? random = null;
            for (var attempt = 1; ; attempt++)
            {
                var clock = Stopwatch.StartNew();
                IcaException failure;
                TimeSpan? retryAfter = null;
                bool retryable;
                using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attemptTimeout.CancelAfter(timeout);
                    try
                    {
                        var response = await client.SendAsync(Build(call, jwt), HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                        var status = (int)response.StatusCode;
                        Log($"{call.Method} {shown}: {status} {ResponseErrors.Clean(response.ReasonPhrase, secrets, 60)} in {clock.ElapsedMilliseconds} ms (attempt {attempt} of {attempts}).");
                        var retryableStatus = StatusTable.Retryable(status, call.Idempotent);
                        var lastWord = !(status == 401 && !renewed) && !(retryableStatus && attempt < attempts);
                        if ((status >= 200 && status < 300) || (call.SkipHttpErrorCheck && lastWord))
                        {
                            if (!call.Streamed)
                            {
                                await BufferAsync(response, call, options.MaxResponseBytes, attemptTimeout.Token).ConfigureAwait(false);
                            }

                            return response;
                        }

                        using (response)
                        {
                            var body = await HttpShared.ReadBodyAsync(response, attemptTimeout.Token).ConfigureAwait(false);
                            if (status == 401 && !renewed)
                            {
                                // The token may have expired or been revoked mid-script: one new one, one more try.
                                renewed = true;
                                Log("ICA refused the token (401); getting a new one and sending the request again.");
                                jwt = await bearer(true, cancellationToken).ConfigureAwait(false);
                                secrets = secrets.With(jwt);
                                attempt--;
                                continue;
                            }

                            failure = RestErrors.FromResponse(response, body, call, secrets);
                            retryAfter = HttpShared.RetryAfter(response);
                            retryable = retryableStatus;
                        }
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = new IcaException(ErrorIds.Timeout, IcaErrorKind.OperationTimeout, $"ICA did not answer {call.Method} {call.Target.Display} within {timeout.TotalSeconds:0.###} s.", $"{call.Method} {call.Target.Display}", ex);
                        Log($"{call.Method} {shown}: no answer within {timeout.TotalSeconds:0.###} s (attempt {attempt} of {attempts}).");
                        retryable = call.Idempotent;
                    }
                    catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                    {
                        failure = new IcaException(ErrorIds.ConnectionFailed, IcaErrorKind.ConnectionError, $"Cannot reach ICA for {call.Method} {call.Target.Display}: {secrets.Apply(HttpShared.Innermost(ex).Message)}", $"{call.Method} {call.Target.Display}", ex);
                        Log($"{call.Method} {shown}: connection failed (attempt {attempt} of {attempts}).");
                        retryable = call.Idempotent;
                    }
                }

                var delay = retryable && attempt < attempts ? HttpShared.NextDelay(options, attempt, retryAfter, random ?? (random = new Random(Guid.NewGuid().GetHashCode()))) : null;
                if (delay == null)
                {
                    throw failure;
                }

                Log($"Retrying {call.Method} {shown} in {delay.Value.TotalSeconds:0.##} s.");
                await options.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads the body whole within the attempt's timeout, at most LIMIT bytes (after
        /// decompression): a bigger answer is refused at once, not fetched again. The response is
        /// disposed when that fails.
        /// </summary>
        private static async Task BufferAsync(HttpResponseMessage response, RestCall call, long limit, CancellationToken cancellationToken)
        {
            try
            {
                if (response.Content.Headers.ContentLength is long declared && declared > limit)
                {
                    throw TooLarge(call, declared, limit);
                }

                var body = new MemoryStream();
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > limit)
                    {
                        throw TooLarge(call, null, limit);
                    }

                    body.Write(chunk, 0, read);
                }

                var buffered = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
                foreach (var header in response.Content.Headers)
                {
                    // The length is the buffer's own (after any decompression).
                    if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }

                response.Content.Dispose();
                response.Content = buffered;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        private static IcaException TooLarge(RestCall call, long? declared, long limit) => new IcaException(
            ErrorIds.ResponseTooLarge,
            IcaErrorKind.LimitsExceeded,
            $"The answer to {call.Method} {call.Target.Display} is over the {limit / (1024 * 1024)} MB read into memory{(declared is long size ? $" ({size:N0} bytes)" : string.Empty)}. Save it with -OutFile (streamed, no limit), or raise the limit with $env:{IcaHttpOptions.MaxResponseVariable}.",
            $"{call.Method} {call.Target.Display}")
        {
            HttpStatus = 200,
        };

        private static HttpRequestMessage Build(RestCall call, string jwt)
        {
            var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Target.Uri);
            request.Headers.TryAddWithoutValidation("Accept", call.Accept);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            request.Headers.TryAddWithoutValidation("User-Agent", HttpShared.UserAgent);
            if (call.Body != null)
            {
                request.Content = new ByteArrayContent(call.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType ?? MediaTypes.Vendor(3));
            }

            foreach (var header in call.Headers ?? new System.Collections.Generic.Dictionary<string, string>())
            {
                if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
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

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
            return request;
        }

        private void Log(string line) => options.Verbose?.Invoke(line);
    }
}
