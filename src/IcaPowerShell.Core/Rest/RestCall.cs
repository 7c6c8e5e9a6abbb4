using System.Collections.Generic;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>One request of Invoke-IcaRestMethod: what to send; the client adds the token.</summary>
    /// <param name="Headers">The caller's headers; they override Accept and Content-Type, never Authorization.</param>
    /// <param name="Streamed">
    /// The caller streams the answer's body (to -OutFile). Otherwise the client reads it whole
    /// before it returns, so a connection that breaks mid-body is retried like any other.
    /// </param>
    /// <param name="Timeout">-TimeoutSec: for each attempt, and for each wait for more of a download; null for the session's.</param>
    /// <param name="SkipHttpErrorCheck">An answer that is an HTTP error is returned (after the 401 renewal and the retries), not thrown.</param>
    public sealed record RestCall(
        string Method,
        RestTarget Target,
        string Accept,
        byte[]? Body = null,
        string? ContentType = null,
        IReadOnlyDictionary<string, string>? Headers = null,
        bool Streamed = false,
        System.TimeSpan? Timeout = null,
        bool SkipHttpErrorCheck = false)
    {
        /// <summary>Methods that change nothing more when sent twice: only these are retried after a failure that may have reached the server.</summary>
        public bool Idempotent => Method is "GET" or "HEAD" or "PUT" or "DELETE";
    }
}
