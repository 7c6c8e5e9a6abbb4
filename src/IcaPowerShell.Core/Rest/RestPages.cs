using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// -All: ICA's pages in order, as an async sequence. When a page is handed over, the request
    /// for the next one is already on its way, so the server works while the caller writes; 100
    /// pages cost about 100 server round trips, not 100 round trips plus 100 writes. No page is
    /// asked for beyond the items the caller will write (-First), and disposing the sequence
    /// cancels the one in flight. <see cref="PagingState"/> decides what the next page is.
    /// </summary>
    public sealed class RestPages : IDisposable
    {
        private readonly IcaRestClient client;
        private readonly RestCall first;
        private readonly long? wanted;
        private readonly CancellationTokenSource stop;
        private readonly PagingState state;
        private Task<RestPage>? pending;
        private bool started;

        /// <param name="wanted">The most items the caller writes (-Skip plus -First); null for all.</param>
        internal RestPages(IcaRestClient client, RestCall first, long? wanted, CancellationToken cancellationToken)
        {
            this.client = client;
            this.first = first;
            this.wanted = wanted;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            state = new PagingState(first.Target);
        }

        /// <summary>The first page's request: what the pages are of.</summary>
        public RestCall Call => first;

        /// <summary>The next page; null after the last. A failure of a page surfaces when it is asked for.</summary>
        public async Task<RestPage?> NextAsync()
        {
            if (!started)
            {
                started = true;
                pending = FetchAsync(first);
            }

            if (pending == null)
            {
                return null;
            }

            var page = await pending.ConfigureAwait(false);
            pending = null;
            try
            {
                state.Advance(page.Items, page.NextPageToken, page.TotalItemCount, page.RemainingRecords);
            }
            catch (Errors.IcaException ex)
            {
                // A paging loop: this page is still written, and the error comes next.
                pending = Task.FromException<RestPage>(ex);
            }

            page.Received = state.Received;
            page.Total = state.Total;
            page.IsLast = pending == null && state.Next == null;
            if (pending == null && state.Next is RestTarget next && (wanted == null || state.Received < wanted))
            {
                pending = FetchAsync(first with { Target = next });
            }

            return page;
        }

        public void Dispose()
        {
            stop.Cancel();
            if (pending == null)
            {
                stop.Dispose();
                return;
            }

            // Nobody waits for the page in flight now: its failure (the cancellation) is observed, and the source freed after it.
            pending.ContinueWith(t => { _ = t.Exception; stop.Dispose(); }, TaskScheduler.Default);
        }

        private async Task<RestPage> FetchAsync(RestCall call)
        {
            using (var response = await client.SendAsync(call, stop.Token).ConfigureAwait(false))
            {
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                return RestPage.Read((int)response.StatusCode, Encoding.UTF8.GetString(body));
            }
        }
    }
}
