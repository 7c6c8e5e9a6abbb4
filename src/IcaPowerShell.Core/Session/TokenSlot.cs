using System;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// One cached token and the single request that may be renewing it. However many callers find
    /// it stale at once, one mint goes out and all of them get its outcome; a failed mint leaves
    /// nothing behind, so the next caller tries again.
    /// </summary>
    internal sealed class TokenSlot
    {
        private readonly object gate = new object();
        private Task<CachedToken>? inflight;
        private volatile CachedToken? current;

        public CachedToken? Current => current;

        /// <summary>The warm path: a volatile read and a time comparison, no allocation.</summary>
        public bool TryGetFresh(DateTimeOffset now, out CachedToken token)
        {
            var held = current;
            if (held != null && now < held.RefreshAt)
            {
                token = held;
                return true;
            }

            token = null!;
            return false;
        }

        /// <summary>Joins the mint under way, or starts one with <paramref name="mint"/> (given the token it replaces).</summary>
        public Task<CachedToken> RenewAsync(Func<CachedToken?, Task<CachedToken>> mint)
        {
            TaskCompletionSource<CachedToken> completion;
            CachedToken? previous;
            lock (gate)
            {
                if (inflight != null)
                {
                    return inflight;
                }

                completion = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                inflight = completion.Task;
                previous = current;
            }

            _ = RunAsync(mint, previous, completion);
            return completion.Task;
        }

        public void Clear()
        {
            current = null;
        }

        private async Task RunAsync(Func<CachedToken?, Task<CachedToken>> mint, CachedToken? previous, TaskCompletionSource<CachedToken> completion)
        {
            try
            {
                var token = await mint(previous).ConfigureAwait(false);
                lock (gate)
                {
                    current = token;
                    inflight = null;
                }

                completion.SetResult(token);
            }
            catch (Exception ex)
            {
                lock (gate)
                {
                    inflight = null;
                }

                completion.SetException(ex);
            }
        }
    }
}
