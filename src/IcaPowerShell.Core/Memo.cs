using System;
using System.Collections.Generic;

namespace IcaPowerShell.Core
{
    /// <summary>
    /// Remembers the last value built from a source, and builds again only when the source
    /// changes: an environment variable's text, a file's stamp. Safe for many threads (two may
    /// build at once; either result is right).
    /// </summary>
    internal sealed class Memo<TSource, TValue>
    {
        private volatile Entry? last;

        public TValue Get(TSource source, Func<TSource, TValue> build)
        {
            var seen = last;
            if (seen != null && EqualityComparer<TSource>.Default.Equals(seen.Source, source))
            {
                return seen.Value;
            }

            var value = build(source);
            last = new Entry(source, value);
            return value;
        }

        private sealed record Entry(TSource Source, TValue Value);
    }
}
