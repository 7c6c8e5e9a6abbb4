using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// A lock shared by every process that writes one profile file: an exclusively opened lock
    /// file (FileShare.None, which .NET maps to flock on Unix). The operating system releases it
    /// when the holder exits or is killed, so a crashed writer never blocks the next one. The file
    /// itself is left in place: deleting it would race with a waiter that already opened it.
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private readonly FileStream stream;

        private FileLock(FileStream stream)
        {
            this.stream = stream;
        }

        public static FileLock Acquire(string lockPath, TimeSpan timeout, string guardedPath)
        {
            var clock = Stopwatch.StartNew();
            var pause = 5;
            while (true)
            {
                try
                {
                    return new FileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new IcaException(
                        ErrorIds.ConfigFileReadOnly,
                        IcaErrorKind.PermissionDenied,
                        $"Cannot create the lock file '{lockPath}' next to '{guardedPath}': {ex.Message} Make the folder writable, or use another file with -Path or the environment variable {Configuration.EnvironmentVariables.ConfigPath}.",
                        guardedPath,
                        ex);
                }
                catch (IOException) when (clock.Elapsed < timeout)
                {
                    // Another writer holds it; writes take milliseconds, so poll with a short, growing pause.
                    Thread.Sleep(pause);
                    pause = Math.Min(pause * 2, 100);
                }
                catch (IOException ex)
                {
                    throw new IcaException(
                        ErrorIds.ConfigLockTimeout,
                        IcaErrorKind.ResourceUnavailable,
                        $"Timed out after {timeout.TotalSeconds:0.#} s waiting for another IcaPowerShell command to finish writing '{guardedPath}' (lock file '{lockPath}'). Try again; if no other command is running, check that the lock file is not held open.",
                        guardedPath,
                        ex);
                }
            }
        }

        public void Dispose() => stream.Dispose();
    }
}
