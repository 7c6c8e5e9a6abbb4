using System;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// A YAML parser that stops before a hostile file can hurt: deeper nesting than any profile file
    /// has (YamlDotNet builds trees recursively, and a stack overflow cannot be caught), floods of
    /// events, and aliases (this module never writes them; refusing them rules out expansion bombs).
    /// It checks as the tree is built, so the file is parsed once.
    /// </summary>
    internal sealed class GuardedParser : IParser
    {
        public const int MaxDepth = 32;
        public const int MaxEvents = 100_000;

        private readonly IParser inner;
        private int depth;
        private int events;

        public GuardedParser(IParser inner)
        {
            this.inner = inner;
        }

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            var current = inner.Current!;
            if (++events > MaxEvents)
            {
                throw new GuardException(current.Start, "It has far more entries than a profile file can hold.");
            }

            if (current is AnchorAlias)
            {
                throw new GuardException(current.Start, "It uses YAML aliases (*name), which a profile file does not use.");
            }

            depth += current.NestingIncrease;
            if (depth > MaxDepth)
            {
                throw new GuardException(current.Start, $"It is nested more than {MaxDepth} levels deep.");
            }

            return true;
        }
    }

    /// <summary>What <see cref="GuardedParser"/> refused, and where.</summary>
    internal sealed class GuardException : Exception
    {
        public GuardException(Mark start, string problem)
            : base(problem)
        {
            Line = start.Line;
        }

        public long Line { get; }
    }
}
