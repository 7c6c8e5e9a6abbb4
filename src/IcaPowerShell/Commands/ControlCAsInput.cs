using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// While Set-IcaConfig asks its questions in PowerShell's console host on Unix, Ctrl+C reaches
    /// the host's reader as a key, which then stops the pipeline at once. Otherwise the terminal
    /// turns a Ctrl+C typed before the reader starts into a signal: the pipeline is marked stopped
    /// but the reader keeps waiting, and the next line typed is taken as the answer (seen in a pty).
    /// On Windows the host sets the console mode it needs itself.
    /// </summary>
    internal sealed class ControlCAsInput : IDisposable
    {
        private readonly bool previous;
        private readonly bool changed;

        private ControlCAsInput(bool previous, bool changed)
        {
            this.previous = previous;
            this.changed = changed;
        }

        public static ControlCAsInput Take(string hostName)
        {
            if (hostName != "ConsoleHost" || RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || Console.IsInputRedirected)
            {
                return new ControlCAsInput(false, false);
            }

            try
            {
                var previous = Console.TreatControlCAsInput;
                Console.TreatControlCAsInput = true;
                return new ControlCAsInput(previous, true);
            }
            catch (IOException)
            {
                // No terminal after all: the host's own reader decides.
                return new ControlCAsInput(false, false);
            }
        }

        public void Dispose()
        {
            if (changed)
            {
                try
                {
                    Console.TreatControlCAsInput = previous;
                }
                catch (IOException)
                {
                    // The terminal went away; nothing to restore.
                }
            }
        }
    }
}
