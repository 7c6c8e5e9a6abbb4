using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
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
    /// Mints and refreshes JWTs at ICA's token endpoints: the headers ICA requires, and errors
    /// that say what ICA said, never what the secret was. Timeouts and retries are the pipeline's
    /// (<see cref="RetryHandler"/>), as for every API call.
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
                    secrets = options.Secrets.Known.With(options.Proxy?.Password);   // AddBasic added the credential's forms
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

            // Minting a token twice changes nothing: the token POST is retried as an idempotent call.
            // A token answer is a few hundred bytes; a megabyte is not ICA's.
            var call = new HttpCall
            {
                Options = options,
                Method = "POST",
                ShownUrl = target,
                Display = target,
                Idempotent = true,
                Timeout = options.Timeout,
                Secrets = secret,
                BufferLimit = 1024 * 1024,
                TooLargeAdvice = "That is not a token answer: check that the server URL points at ICA.",
            };
            using (var request = newRequest())
            using (var response = await call.SendAsync(request, options.Proxy, cancellationToken).ConfigureAwait(false))
            {
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return ResponseErrors.ReadToken(body, response, target, secret);
                }

                throw ResponseErrors.FromResponse(response, body, target, kind, secret);
            }
        }

        private static HttpRequestMessage Post(Uri uri, Action<HttpRequestMessage> authenticate)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(IcaMediaType));
            authenticate(request);
            return request;
        }

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
