namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// ICA's two ways of paging, followed by -All. Cursor paging (the default, complete and
    /// unique) sends each page's nextPageToken as pageToken until it is empty. Offset paging, used
    /// when the caller passed pageOffset or sort, adds the page's item count to pageOffset until
    /// totalItemCount is reached or a page comes back empty.
    /// </summary>
    public sealed class PagingState
    {
        private readonly System.Collections.Generic.HashSet<string> cursors = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
        private readonly bool offsetMode;
        private long offset;

        public PagingState(RestTarget first)
        {
            offsetMode = first.Query("pageOffset") != null || first.Query("sort") != null;
            offset = long.TryParse(first.Query("pageOffset"), out var start) ? start : 0;
            Next = first;
        }

        /// <summary>The request for the next page; null when there is none.</summary>
        public RestTarget? Next { get; private set; }

        /// <summary>Records written so far.</summary>
        public long Received { get; private set; }

        /// <summary>All the records there are, when the server said (totalItemCount, or remainingRecords plus what came).</summary>
        public long? Total { get; private set; }

        /// <summary>Takes in what a page said and decides the next request.</summary>
        public void Advance(int items, string? nextPageToken, long? totalItemCount, long? remainingRecords)
        {
            var current = Next!;
            Received += items;
            Total = totalItemCount ?? (remainingRecords is long remaining ? Received + remaining : Total);
            if (offsetMode)
            {
                offset += items;
                Next = items == 0 || (totalItemCount is long total && offset >= total) ? null : current.WithQuery("pageOffset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (string.IsNullOrEmpty(nextPageToken))
            {
                Next = null;
            }
            else
            {
                // A server that repeats a cursor, or sends nothing with one, would be followed forever.
                if (items == 0 || !cursors.Add(nextPageToken!))
                {
                    throw new Errors.IcaException(
                        Errors.ErrorIds.PagingLoop,
                        Errors.IcaErrorKind.ProtocolError,
                        $"-All stopped after {Received} records: the server {(items == 0 ? "sent an empty page that still had a next page" : "sent the same nextPageToken twice")}, so following it would never end. Fetch the pages with -Query @{{ pageToken = ... }} to look at them.",
                        current.Display);
                }

                Next = current.WithQuery("pageToken", nextPageToken);
            }
        }
    }
}
