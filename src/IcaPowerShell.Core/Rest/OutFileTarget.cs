using System;
using System.IO;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// What -OutFile names, checked before the request is sent: a missing folder or a folder is
    /// refused naming -OutFile; a device or a FIFO is written into as it is (as Invoke-WebRequest
    /// does: /dev/null must stay /dev/null); a regular file is replaced by a complete new one
    /// with its permission bits (never wider than before); a new file gets the umask's mode.
    /// </summary>
    /// <param name="Path">The full path.</param>
    /// <param name="Special">A device, FIFO or socket: written into, never replaced.</param>
    /// <param name="Mode">The permission bits for the new file (Unix).</param>
    public sealed record OutFileTarget(string Path, bool Special, int Mode)
    {
        /// <summary>rw-rw-rw- less the umask: what a new file gets from any tool.</summary>
        private const int NewFileMode = 0x1B6;

        public static OutFileTarget Check(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var folder = System.IO.Path.GetDirectoryName(full);
            if (folder == null || !Directory.Exists(folder))
            {
                throw Invalid(path, $"its folder '{Shown.Value(folder, 200)}' does not exist. Create it first (New-Item -ItemType Directory), or give another -OutFile.");
            }

            if (Directory.Exists(full))
            {
                throw Invalid(path, "is a folder. Give the file's name, for example -OutFile (Join-Path <folder> <name>).");
            }

            if (!UnixFiles.IsUnix)
            {
                return new OutFileTarget(full, Special: false, NewFileMode);
            }

            var entry = UnixFiles.Inspect(full);
            return entry?.Kind switch
            {
                UnixEntryKind.Other => new OutFileTarget(full, Special: true, 0),
                UnixEntryKind.File => new OutFileTarget(full, Special: false, entry!.Permissions & 0x1FF),
                _ => new OutFileTarget(full, Special: false, NewFileMode),
            };
        }

        internal static IcaException Failed(string path, Exception ex) => new IcaException(
            ErrorIds.OutFileFailed,
            ex is UnauthorizedAccessException ? IcaErrorKind.PermissionDenied : IcaErrorKind.ResourceUnavailable,
            $"-OutFile '{Shown.Value(path, 200)}' could not be written: {ex.Message} Check the folder's permissions and free space, or give another -OutFile.",
            "OutFile",
            ex);

        private static IcaException Invalid(string path, string problem) => new IcaException(
            ErrorIds.OutFileInvalid,
            IcaErrorKind.InvalidArgument,
            $"-OutFile '{Shown.Value(path, 200)}' {problem} Nothing was sent.",
            "OutFile");
    }
}
