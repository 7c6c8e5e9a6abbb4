using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// Puts the session's token on an API request, and only on one for the token's own server
    /// (scheme, host and port): redirects are off, and this is the second lock on that door. A 401
    /// gets one new token and the request once more: the token may have expired or been revoked
    /// mid-script. A request that carries its own credential (the token endpoint's) passes through.
    /// </summary>
    internal sealed class BearerHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCall.Of(request);
            if (call.Bearer == null)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            if (call.BearerServer == null || Uri.Compare(request.RequestUri, call.BearerServer, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new Errors.IcaException(
                    Errors.ErrorIds.ForeignHost,
                    Errors.IcaErrorKind.SecurityError,
                    $"{call.Method} {call.Display} is not on the token's server ({call.BearerServer?.GetLeftPart(UriPartial.Authority)}); the token is sent only there.",
                    $"{call.Method} {call.Display}");
            }

            await Authorize(request, call, renew: false, cancellationToken).ConfigureAwait(false);
            var answer = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (answer.StatusCode != HttpStatusCode.Unauthorized)
            {
                return answer;
            }

            answer.Dispose();
            call.Log("ICA refused the token (401); getting a new one and sending the request again.");
            await Authorize(request, call, renew: true, cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        private static async Task Authorize(HttpRequestMessage request, HttpCall call, bool renew, CancellationToken cancellationToken)
        {
            var jwt = await call.Bearer!(renew, cancellationToken).ConfigureAwait(false);
            call.Secrets = call.Secrets.With(jwt);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        }
    }
}
