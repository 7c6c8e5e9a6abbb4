using System.Collections.Generic;
using System.Globalization;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// One page of an -All call: its text (the caller turns it into objects) and what it says
    /// about paging, read here so that the next page can be asked for before this one is written.
    /// </summary>
    public sealed class RestPage
    {
        public int Status { get; private init; }

        public string Text { get; private init; } = string.Empty;

        /// <summary>How many items the page holds, counted as the cmdlet writes them (see <see cref="Read"/>).</summary>
        public int Items { get; private init; }

        public string? NextPageToken { get; private init; }

        public long? TotalItemCount { get; private init; }

        public long? RemainingRecords { get; private init; }

        /// <summary>Records in this page and the ones before it.</summary>
        public long Received { get; internal set; }

        /// <summary>All the records there are, when the server said.</summary>
        public long? Total { get; internal set; }

        /// <summary>No page comes after this one.</summary>
        public bool IsLast { get; internal set; }

        /// <summary>
        /// Reads TEXT's paging fields. The items are the "items" array's elements; a page without
        /// an "items" array is its own single item (a top-level array: its elements; null: none).
        /// </summary>
        public static RestPage Read(int status, string text)
        {
            var arrays = new Dictionary<string, int>(System.StringComparer.Ordinal);
            var members = FlatJson.TryParseObject(text, arrays);
            if (members == null)
            {
                return new RestPage { Status = status, Text = text, Items = FlatJson.TryCountArray(text) ?? (text.Trim() == "null" ? 0 : 1) };
            }

            return new RestPage
            {
                Status = status,
                Text = text,
                Items = arrays.TryGetValue("items", out var count) ? count : 1,
                NextPageToken = members.TryGetValue("nextPageToken", out var next) ? next : null,
                TotalItemCount = Number(members, "totalItemCount"),
                RemainingRecords = Number(members, "remainingRecords"),
            };
        }

        private static long? Number(IReadOnlyDictionary<string, string> members, string name) =>
            members.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : (long?)null;
    }
}
