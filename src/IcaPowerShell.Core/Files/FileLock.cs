using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using IcaPowerShell.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// A lock shared by every process that writes one profile file: an exclusive flock on a lock
    /// file beside it (on Windows, the file opened with FileShare.None). The operating system
    /// releases it when the holder exits or is killed, so a crashed writer never blocks the next
    /// one. The lock file is created 0600 and never through a link, and one that belongs to another
    /// user is refused: otherwise that user could hold it and make every write time out. The file
    /// is left in place: deleting it would race with a waiter that already opened it.
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private const int SharingViolation = unchecked((int)0x80070020);
        private const int LockViolation = unchecked((int)0x80070021);

        private readonly IDisposable held;

        private FileLock(IDisposable held)
        {
            this.held = held;
        }

        public static FileLock Acquire(string lockPath, TimeSpan timeout, string guardedPath)
        {
            var clock = Stopwatch.StartNew();
            var pause = 5;
            while (true)
            {
                IDisposable? taken = UnixFiles.IsUnix ? TryTakeUnix(lockPath) : TryTakeWindows(lockPath, guardedPath);
                if (taken != null)
                {
                    return new FileLock(taken);
                }

                if (clock.Elapsed >= timeout)
                {
                    throw new IcaException(
                        ErrorIds.ConfigLockTimeout,
                        IcaErrorKind.ResourceUnavailable,
                        $"Timed out after {timeout.TotalSeconds:0.#} s waiting for another IcaPowerShell command to finish writing '{guardedPath}' (lock file '{lockPath}'). Try again; if no other command is running, check that the lock file is not held open.",
                        guardedPath);
                }

                // Another writer holds it; writes take milliseconds, so poll with a short, growing pause.
                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 100);
            }
        }

        public void Dispose() => held.Dispose();

        private static SafeFileHandle? TryTakeUnix(string lockPath)
        {
            // A link or another user's file is refused here; the no-follow open closes the race.
            FileTrust.CheckFile(lockPath, "lock file", ErrorIds.UnsafePermissions);
            var handle = UnixFiles.OpenOrCreateNoFollow(lockPath);
            try
            {
                FileTrust.CheckOpened(handle, lockPath, "lock file", ErrorIds.UnsafePermissions);
                if (UnixFiles.TryLock(handle))
                {
                    return handle;
                }
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            handle.Dispose();
            return null;
        }

        private static FileStream? TryTakeWindows(string lockPath, string guardedPath)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (ex.HResult == SharingViolation || ex.HResult == LockViolation)
            {
                return null;
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
        }
    }
}
