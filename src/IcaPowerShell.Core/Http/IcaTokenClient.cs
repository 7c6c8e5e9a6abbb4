using System;
using System.Linq;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// Mints and refreshes JWTs at ICA's token endpoints: the headers ICA requires, one timeout per
    /// attempt, retries with backoff and jitter for rate limits and gateway failures only, and
    /// errors that say what ICA said, never what the secret was.
    /// </summary>
    public sealed class IcaTokenClient
    {
        public const string IcaMediaType = "application/vnd.illumina.v3+json";

        private readonly IcaHttpOptions options;

        public IcaTokenClient(IcaHttpOptions options)
        {
            this.options = options;
        }

        public IcaHttpOptions Options => options;

        public Task<MintedJwt> CreateTokenAsync(ServerAddress server, IcaCredential credential, CancellationToken cancellationToken)
        {
            var uri = server.TokensUri;
            string? secretInUse = null;
            Redaction secrets;
            Func<HttpRequestMessage> request;
            switch (credential)
            {
                case ApiKeyCredential apiKey:
                    secretInUse = SecretText.ToPlainText(apiKey.ApiKey);
                    RequireHeaderSafe(secretInUse);
                    options.Secrets.Add(secretInUse);
                    secrets = options.Secrets.Known.With(secretInUse, options.Proxy?.Password);
                    request = () => Post(uri, r => r.Headers.Add("X-API-Key", secretInUse));
                    break;
                case BasicCredential basic:
                    if (basic.Tenant != null)
                    {
                        uri = new Uri(uri + "?tenant=" + Uri.EscapeDataString(basic.Tenant));
                    }

                    secretInUse = SecretText.ToPlainText(basic.Password);
                    var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes(basic.UserName + ":" + secretInUse));
                    options.Secrets.AddBasic(basic.UserName, secretInUse);
                    secrets = options.Secrets.Known.With(secretInUse, basic.UserName + ":" + secretInUse, options.Proxy?.Password);
                    request = () => Post(uri, r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair));
                    break;
                default:
                    throw new ArgumentException("Unknown credential type.", nameof(credential));
            }

            var failure = credential is ApiKeyCredential ? CallKind.ApiKey : CallKind.Basic;
            return SendAsync(request, uri, failure, secrets, cancellationToken);
        }

        public Task<MintedJwt> RefreshTokenAsync(ServerAddress server, string jwt, CancellationToken cancellationToken)
        {
            var uri = server.RefreshUri;
            return SendAsync(() => Post(uri, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt)), uri, CallKind.Refresh, options.Secrets.Known.With(jwt, options.Proxy?.Password), cancellationToken);
        }

        private async Task<MintedJwt> SendAsync(Func<HttpRequestMessage> newRequest, Uri uri, CallKind kind, Redaction secret, CancellationToken cancellationToken)
        {
            var target = uri.GetLeftPart(UriPartial.Path);
            var attempts = options.RetryEnabled ? Math.Max(1, options.MaxAttempts) : 1;
            Random? random = null;
            // Plain http goes only to loopback (ServerAddress allows nothing else), and never
            // through a proxy: a proxy must not see X-API-Key in clear text.
            var client = HttpClientProvider.Create(uri.Scheme == Uri.UriSchemeHttp ? null : options.Proxy, direct: uri.Scheme == Uri.UriSchemeHttp);
            for (var attempt = 1; ; attempt++)
            {
                var clock = Stopwatch.StartNew();
                IcaException failure;
                TimeSpan? retryAfter = null;
                using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attemptTimeout.CancelAfter(options.Timeout);
                    try
                    {
                        using (var request = newRequest())
                        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false))
                        {
                            var body = await HttpShared.ReadBodyAsync(response, attemptTimeout.Token).ConfigureAwait(false);
                            Log($"POST {target}: {(int)response.StatusCode} {ResponseErrors.Clean(response.ReasonPhrase, secret, 60)} in {clock.ElapsedMilliseconds} ms (attempt {attempt} of {attempts}).");
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                return ResponseErrors.ReadToken(body, response, target, secret);
                            }

                            failure = ResponseErrors.FromResponse(response, body, target, kind, secret);
                            retryAfter = HttpShared.RetryAfter(response);
                            if (!IsRetryable(response.StatusCode))
                            {
                                throw failure;
                            }
                        }
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = new IcaException(
                            ErrorIds.Timeout,
                            IcaErrorKind.OperationTimeout,
                            $"ICA did not answer POST {target} within {options.Timeout.TotalSeconds:0.###} s. Check the server URL and your network or proxy, and try again.",
                            target,
                            ex);
                        Log($"POST {target}: no answer within {options.Timeout.TotalSeconds:0.###} s (attempt {attempt} of {attempts}).");
                    }
                    catch (Exception ex) when ((ex is HttpRequestException || ex is IOException) && FrameworkHttp.DescribeTlsFailure(ex, target.ToString()) is string tls)
                    {
                        // Not a network hiccup: another attempt would fail the same way.
                        Log($"POST {target}: TLS handshake failed (attempt {attempt} of {attempts}).");
                        throw new IcaException(ErrorIds.TlsFailed, IcaErrorKind.ConnectionError, secret.Apply(tls), target, ex);
                    }
                    catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                    {
                        // IOException: the connection broke while the body was being read.
                        failure = new IcaException(
                            ErrorIds.ConnectionFailed,
                            IcaErrorKind.ConnectionError,
                            $"Cannot reach ICA at {target}: {Shown.Sentence(secret.Apply(HttpShared.Innermost(ex).Message))} Check the server URL, your network, and the proxy settings (HTTPS_PROXY, -Proxy).",
                            target,
                            ex);
                        Log($"POST {target}: connection failed (attempt {attempt} of {attempts}).");
                    }
                }

                var delay = HttpShared.NextDelay(options, attempt, retryAfter, random ?? (random = new Random(Guid.NewGuid().GetHashCode())));
                if (attempt >= attempts || delay == null)
                {
                    throw failure;
                }

                Log($"Retrying POST {target} in {delay.Value.TotalSeconds:0.##} s.");
                await options.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        // Minting a token twice changes nothing: the token POST is retried as an idempotent call.
        private static bool IsRetryable(HttpStatusCode status) => StatusTable.Retryable((int)status, idempotent: true);

        private static HttpRequestMessage Post(Uri uri, Action<HttpRequestMessage> authenticate)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(IcaMediaType));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            request.Headers.TryAddWithoutValidation("User-Agent", HttpShared.UserAgent);
            authenticate(request);
            return request;
        }

        private void Log(string line) => options.Verbose?.Invoke(line);

        /// <summary>A key with a line break or other control character could split the header; refuse it plainly.</summary>
        private static void RequireHeaderSafe(string apiKey)
        {
            if (apiKey.Any(char.IsControl))
            {
                throw new IcaException(
                    ErrorIds.InvalidApiKey,
                    IcaErrorKind.InvalidArgument,
                    "The API key contains a line break or another control character, so it cannot be sent. Store it again without them: Set-IcaConfig -ApiKey (Read-Host -AsSecureString 'API key'), or fix $env:ICAV2_X_API_KEY.",
                    "ApiKey");
            }
        }
    }

    /// <summary>What the call was, which decides how a 401 is explained.</summary>
    internal enum CallKind
    {
        ApiKey,
        Basic,
        Refresh,
    }

    /// <summary>A token as the server returned it.</summary>
    public sealed class MintedJwt
    {
        public MintedJwt(string jwt, JwtClaims claims)
        {
            Jwt = jwt;
            Claims = claims;
        }

        public string Jwt { get; }

        public JwtClaims Claims { get; }
    }
}
