using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// The one retry policy, for the token endpoint and the API alike: a 429 is sent again whatever
    /// the method (nothing happened); a 502/503/504, a timeout or a broken connection only when the
    /// request may run twice; Retry-After is honoured up to a cap (longer, and the answer is the
    /// error); otherwise backoff with jitter; none at all with the no-retry switch. Each attempt
    /// has its own timeout, which covers a buffered body too, so a body that stops halfway is
    /// retried like any other failure. A failure that is not an answer becomes the error here.
    /// Our own handler, not Polly: the policy is these few rules, and Polly's assemblies would share
    /// Windows PowerShell 5.1's one AppDomain with the versions Az and Microsoft.Graph bring.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCall.Of(request);
            var options = call.Options;
            call.Attempts = options.RetryEnabled ? Math.Max(1, options.MaxAttempts) : 1;
            Random? random = null;
            for (var attempt = 1; ; attempt++)
            {
                call.Attempt = attempt;
                HttpResponseMessage? answer = null;
                IcaException? failure = null;
                TimeSpan? retryAfter = null;
                using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attemptTimeout.CancelAfter(call.Timeout);
                    try
                    {
                        answer = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                        if (call.BufferLimit is long limit)
                        {
                            await ResponseBuffer.ReadWholeAsync(answer, call, limit, attemptTimeout.Token).ConfigureAwait(false);
                        }

                        if (!StatusTable.Retryable((int)answer.StatusCode, call.Idempotent))
                        {
                            return answer;
                        }

                        retryAfter = HttpShared.RetryAfter(answer);
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        answer?.Dispose();
                        answer = null;
                        failure = new IcaException(ErrorIds.Timeout, IcaErrorKind.OperationTimeout, $"ICA did not answer {call.Method} {call.Display} within {call.Timeout.TotalSeconds:0.###} s. Check the server URL and your network or proxy, and try again.", $"{call.Method} {call.Display}", ex);
                        call.Log($"{call.Method} {call.ShownUrl}: no answer within {call.Timeout.TotalSeconds:0.###} s (attempt {attempt} of {call.Attempts}).");
                    }
                    catch (Exception ex) when ((ex is HttpRequestException || ex is IOException) && FrameworkHttp.DescribeTlsFailure(ex, call.ShownUrl) is string tls)
                    {
                        // Not a network hiccup: another attempt would fail the same way.
                        answer?.Dispose();
                        call.Log($"{call.Method} {call.ShownUrl}: TLS handshake failed (attempt {attempt} of {call.Attempts}).");
                        throw new IcaException(ErrorIds.TlsFailed, IcaErrorKind.ConnectionError, call.Secrets.Apply(tls), $"{call.Method} {call.Display}", ex);
                    }
                    catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                    {
                        // IOException: the connection broke while the body was being read.
                        answer?.Dispose();
                        answer = null;
                        failure = new IcaException(ErrorIds.ConnectionFailed, IcaErrorKind.ConnectionError, $"Cannot reach ICA for {call.Method} {call.Display}: {Shown.Sentence(call.Secrets.Apply(HttpShared.Innermost(ex).Message))} Check the server URL, your network, and the proxy settings (HTTPS_PROXY, -Proxy).", $"{call.Method} {call.Display}", ex);
                        call.Log($"{call.Method} {call.ShownUrl}: connection failed (attempt {attempt} of {call.Attempts}).");
                    }
                    catch
                    {
                        // Ctrl+C, or a body over the limit: no answer is left open.
                        answer?.Dispose();
                        throw;
                    }
                }

                var retryable = answer != null || call.Idempotent;
                var delay = retryable && attempt < call.Attempts ? HttpShared.NextDelay(options, attempt, retryAfter, random ??= new Random(Guid.NewGuid().GetHashCode())) : null;
                if (delay == null)
                {
                    // The last word: an answer goes back to the caller, who says what it means.
                    return answer ?? throw failure!;
                }

                answer?.Dispose();
                call.Log($"Retrying {call.Method} {call.ShownUrl} in {delay.Value.TotalSeconds:0.##} s.");
                await options.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
