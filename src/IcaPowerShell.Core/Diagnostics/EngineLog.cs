using System;
using System.Threading;

namespace IcaPowerShell.Core.Diagnostics
{
    /// <summary>
    /// Where the engine's verbose lines and warnings go while a cmdlet runs. The cmdlet sets the
    /// sinks for the length of its call; they flow into every task the call starts, so code deep
    /// in the engine (a file check, the key protection) reaches the user without a parameter
    /// threaded through every layer. Outside a cmdlet, nothing is written.
    /// </summary>
    public static class EngineLog
    {
        private static readonly AsyncLocal<Sinks?> Current = new AsyncLocal<Sinks?>();

        /// <summary>Routes the engine's lines to these sinks until the result is disposed.</summary>
        public static IDisposable Use(Action<string>? verbose, Action<string>? warning)
        {
            var previous = Current.Value;
            Current.Value = new Sinks(verbose, warning);
            return new Restore(previous);
        }

        public static void Verbose(string line) => Current.Value?.Verbose?.Invoke(line);

        public static void Warning(string line) => Current.Value?.Warning?.Invoke(line);

        private sealed record Sinks(Action<string>? Verbose, Action<string>? Warning);

        private sealed class Restore : IDisposable
        {
            private readonly Sinks? previous;

            public Restore(Sinks? previous) => this.previous = previous;

            public void Dispose() => Current.Value = previous;
        }
    }
}
