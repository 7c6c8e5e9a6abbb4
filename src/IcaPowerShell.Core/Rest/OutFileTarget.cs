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
                RequireWritable(path, full);
                return new OutFileTarget(full, Special: false, NewFileMode);
            }

            var entry = UnixFiles.Inspect(full);
            switch (entry?.Kind)
            {
                case UnixEntryKind.Other:
                    return new OutFileTarget(full, Special: true, 0);
                case UnixEntryKind.File:
                    RequireWritable(path, full);
                    return new OutFileTarget(full, Special: false, entry!.Permissions & 0x1FF);
                default:
                    return new OutFileTarget(full, Special: false, NewFileMode);
            }
        }

        /// <summary>
        /// The file is replaced by a rename, which its own permissions do not stop: a file the user
        /// may not write (0444, the read-only attribute) is refused as Set-Content refuses it.
        /// Opening it for writing, without truncating, changes nothing; the OS decides (root may).
        /// </summary>
        private static void RequireWritable(string path, string full)
        {
            try
            {
                using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                }
            }
            catch (FileNotFoundException)
            {
                // Not there (or gone meanwhile): a new file.
            }
            catch (UnauthorizedAccessException)
            {
                throw Invalid(path, "is read-only for you. Make it writable first (chmod u+w, or clear its read-only attribute), or give another -OutFile.");
            }
            catch (IOException)
            {
                // In use by another process (Windows): the replacement retries, and says so if it cannot.
            }
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
