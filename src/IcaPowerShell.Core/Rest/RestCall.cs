using System.Collections.Generic;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>One request of Invoke-IcaRestMethod: what to send; the client adds the token.</summary>
    /// <param name="Headers">The caller's headers; they override Accept and Content-Type, never Authorization.</param>
    public sealed record RestCall(
        string Method,
        RestTarget Target,
        string Accept,
        byte[]? Body = null,
        string? ContentType = null,
        IReadOnlyDictionary<string, string>? Headers = null)
    {
        /// <summary>Methods that change nothing more when sent twice: only these are retried after a failure that may have reached the server.</summary>
        public bool Idempotent => Method is "GET" or "HEAD" or "PUT" or "DELETE";
    }
}
