using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// The one table of what an HTTP status means wherever it came from, the token endpoint or
    /// any API path: a rate limit or a server failure is the same error (id and category) and the
    /// same retry decision for both. Statuses whose meaning depends on the call (401 from the
    /// token endpoint is a rejected credential; 404 from the API names ICA's own code) are
    /// decided by the caller.
    /// </summary>
    internal static class StatusTable
    {
        /// <summary>The shared (id, kind) of STATUS; null when the endpoint decides.</summary>
        public static (string Id, IcaErrorKind Kind)? Shared(int status)
        {
            if (status == 429)
            {
                return (ErrorIds.RateLimited, IcaErrorKind.ResourceUnavailable);
            }

            return status >= 500 && status <= 599 ? (ErrorIds.ServerError, IcaErrorKind.ResourceUnavailable) : ((string, IcaErrorKind)?)null;
        }

        /// <summary>
        /// Whether an answer with STATUS may be sent again: 429 always (nothing happened), a
        /// gateway's 502/503/504 only when a second copy of the request changes nothing more.
        /// </summary>
        public static bool Retryable(int status, bool idempotent) =>
            status == 429 || (idempotent && (status == 502 || status == 503 || status == 504));
    }
}
