using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// One verbose line for each answer that comes over the wire: method, URL (the query's
    /// secret-looking values cut), status, time and attempt; never a header or a body. Next to the
    /// network, so every attempt and the 401 before a new token are each a line of their own;
    /// the lines go to the cmdlet's queue, which the pipeline thread writes while the call waits.
    /// </summary>
    internal sealed class DiagnosticsHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = HttpCall.Of(request);
            var clock = Stopwatch.StartNew();
            var answer = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            // A refusal's reason phrase may echo what the server knows: the kept token's key too, loaded now.
            var secrets = answer.IsSuccessStatusCode ? call.Secrets : call.Options.Secrets.ForServerText(call.Secrets);
            call.Log($"{call.Method} {call.ShownUrl}: {(int)answer.StatusCode} {ResponseErrors.Clean(answer.ReasonPhrase, secrets, 60)} in {clock.ElapsedMilliseconds} ms (attempt {call.Attempt} of {call.Attempts}).");
            return answer;
        }
    }
}
