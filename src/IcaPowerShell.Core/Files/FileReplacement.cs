using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace IcaPowerShell.Core.Files
{
    /// <summary>The few file-system calls a replacement makes: the seam its decisions are tested through.</summary>
    internal interface IReplacementCalls
    {
        bool Exists(string path);

        bool IsReadOnly(string path);

        /// <summary>Renames SOURCE to TARGET, replacing it in one step; all or nothing.</summary>
        void MoveReplacing(string source, string target);

        /// <summary>Renames SOURCE to TARGET, which must not exist.</summary>
        void MoveNew(string source, string target);

        void Wait(TimeSpan delay);
    }

    /// <summary>
    /// Gives a complete temp file its final name without ever losing the file.
    /// On Windows the rename is MoveFileEx(REPLACE_EXISTING | WRITE_THROUGH): the target is either
    /// the old file or the new one, never missing (File.Replace without a backup name can leave no
    /// target when the second rename fails, ERROR_UNABLE_TO_MOVE_REPLACEMENT), and the new file
    /// keeps the protected, user-only DACL it was created with instead of inheriting the old file's.
    /// A file held for a moment by antivirus, backup or the indexer (a sharing or lock violation,
    /// or access denied on a file that is not read-only) is tried again a few times, about 0.8 s in
    /// all; a read-only target is refused at once. On Unix, rename(2) is already all or nothing.
    /// </summary>
    internal static class FileReplacement
    {
        public const int MaxAttempts = 6;
        public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(25);

        private const int ErrorAccessDenied = 5;
        private const int ErrorSharingViolation = 32;
        private const int ErrorLockViolation = 33;
        private const int ErrorFileExists = 80;
        private const int ErrorAlreadyExists = 183;

        public static void Publish(string temp, string path) => Publish(temp, path, SystemCalls.Instance);

        public static void Publish(string temp, string path, IReplacementCalls calls)
        {
            var delay = FirstDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (calls.Exists(path))
                    {
                        calls.MoveReplacing(temp, path);
                    }
                    else
                    {
                        calls.MoveNew(temp, path);
                    }

                    return;
                }
                catch (Exception ex) when (attempt < MaxAttempts && IsPassing(ex, path, calls))
                {
                    calls.Wait(delay);
                    delay = TimeSpan.FromTicks(delay.Ticks * 2);
                }
            }
        }

        /// <summary>Worth another try: another process holds the file for a moment, or created it meanwhile.</summary>
        private static bool IsPassing(Exception ex, string path, IReplacementCalls calls)
        {
            if (ex is UnauthorizedAccessException)
            {
                // Access denied: a scanner's handle, or a delete still pending; a read-only file stays read-only.
                return !calls.IsReadOnly(path);
            }

            switch (ex.HResult & 0xFFFF)
            {
                case ErrorSharingViolation:
                case ErrorLockViolation:
                case ErrorFileExists:
                case ErrorAlreadyExists:
                    return ex is IOException;
                default:
                    return false;
            }
        }

        private sealed class SystemCalls : IReplacementCalls
        {
            public static readonly SystemCalls Instance = new SystemCalls();

            private const int MoveFileReplaceExisting = 0x1;
            private const int MoveFileWriteThrough = 0x8;

            public bool Exists(string path) => File.Exists(path);

            public bool IsReadOnly(string path) => File.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;

            public void MoveReplacing(string source, string target)
            {
                if (UnixFiles.IsUnix)
                {
                    File.Replace(source, target, destinationBackupFileName: null, ignoreMetadataErrors: true);
                    return;
                }

                MoveFileEx(source, target, MoveFileReplaceExisting | MoveFileWriteThrough);
            }

            public void MoveNew(string source, string target)
            {
                if (UnixFiles.IsUnix)
                {
                    File.Move(source, target);
                    return;
                }

                MoveFileEx(source, target, MoveFileWriteThrough);
            }

            public void Wait(TimeSpan delay) => System.Threading.Thread.Sleep(delay);

            private static void MoveFileEx(string source, string target, int flags)
            {
                if (NativeMethods.MoveFileExW(source, target, flags))
                {
                    return;
                }

                var error = Marshal.GetLastWin32Error();
                var message = $"Cannot rename '{source}' to '{target}': {new Win32Exception(error).Message}";
                var hresult = unchecked((int)0x80070000) | error;
                if (error == ErrorAccessDenied)
                {
                    throw new UnauthorizedAccessException(message);
                }

                throw new IOException(message, hresult);
            }
        }

        private static class NativeMethods
        {
            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool MoveFileExW(string existingFileName, string newFileName, int flags);
        }
    }
}
