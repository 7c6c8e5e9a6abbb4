using System;
using System.IO;
using IcaPowerShell.Core.Diagnostics;
using IcaPowerShell.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Decides, as ssh does for ~/.ssh, whether a folder or file that already exists can be trusted
    /// with a secret: it must belong to the current user (a folder may belong to root), and no other
    /// user may write the folder or read the files. What is ours and too open is tightened, with a
    /// warning; what is not ours is refused with an error that names it and the fix. On Windows the
    /// files get a protected ACL when created, and nothing here applies.
    /// </summary>
    internal static class FileTrust
    {
        public static void CheckFolder(string folder)
        {
            if (!UnixFiles.IsUnix)
            {
                return;
            }

            // "folder/." makes lstat follow a folder that is itself a link (dotfile managers do that).
            var entry = UnixFiles.Inspect(Path.Combine(folder, "."));
            if (entry == null)
            {
                return;
            }

            var me = UnixFiles.EffectiveUserId;
            if (entry.Owner != me && !(entry.Owner == 0 && !entry.WritableByGroupOrOthers))
            {
                throw Unsafe(folder, $"The folder '{folder}' belongs to another user (uid {entry.Owner}), who could replace the files in it", $"use a folder of your own with -Path or ${Configuration.EnvironmentVariables.ConfigPath}");
            }

            if (!entry.WritableByGroupOrOthers)
            {
                return;
            }

            if (entry.Owner != me)
            {
                throw Unsafe(folder, $"Other users can write to the folder '{folder}' (mode {Octal(entry.Permissions)}), so they could plant or replace the key and profile files", $"use a folder of your own with -Path or ${Configuration.EnvironmentVariables.ConfigPath}");
            }

            var tightened = entry.Permissions & ~0x12;
            UnixFiles.ChangeMode(folder, tightened);
            EngineLog.Warning($"Other users could write to the folder '{folder}' (mode {Octal(entry.Permissions)}); it is yours, so its mode was changed to {Octal(tightened)}. Check that no file in it was put there by someone else.");
        }

        /// <summary>Checks an existing file by path before it is used; nothing there is fine.</summary>
        public static void CheckFile(string path, string what, string errorIdWhenNotAFile)
        {
            if (!UnixFiles.IsUnix)
            {
                return;
            }

            var entry = UnixFiles.Inspect(path);
            if (entry != null)
            {
                Check(entry, path, what, errorIdWhenNotAFile);
            }
        }

        /// <summary>Checks a file we have just opened: the handle is what we will read or lock, whatever the path says now.</summary>
        public static UnixEntry CheckOpened(SafeFileHandle handle, string path, string what, string errorIdWhenNotAFile)
        {
            var entry = UnixFiles.Inspect(handle);
            Check(entry, path, what, errorIdWhenNotAFile);
            return entry;
        }

        private static void Check(UnixEntry entry, string path, string what, string errorIdWhenNotAFile)
        {
            if (entry.Kind != UnixEntryKind.File)
            {
                var kind = entry.Kind == UnixEntryKind.Folder ? "a folder" : entry.Kind == UnixEntryKind.Link ? "a symbolic link" : "a device, pipe or socket";
                throw new IcaException(
                    errorIdWhenNotAFile,
                    IcaErrorKind.InvalidData,
                    $"The {what} '{path}' is {kind}, not a regular file, so IcaPowerShell will not use it. Remove it; the module creates a new one.",
                    path);
            }

            if (entry.Owner != UnixFiles.EffectiveUserId)
            {
                throw Unsafe(path, $"The {what} '{path}' belongs to another user (uid {entry.Owner}), who may have planted it", "remove it (the module creates a new one), or use a folder of your own with -Path");
            }

            if (entry.OpenToGroupOrOthers)
            {
                UnixFiles.ChangeMode(path, UnixFiles.UserReadWrite);
                EngineLog.Warning($"The {what} '{path}' was open to other users (mode {Octal(entry.Permissions)}); it is yours, so its mode was changed to 600. If others could read it before, treat the secrets in it as exposed.");
            }
        }

        private static IcaException Unsafe(string path, string problem, string fix) => new IcaException(
            ErrorIds.UnsafePermissions,
            IcaErrorKind.SecurityError,
            $"{problem}. IcaPowerShell will not use it. Fix: {FixCommand(path)}, or {fix}.",
            path);

        private static string FixCommand(string path) =>
            Directory.Exists(path) ? $"chown $(id -u) '{path}' && chmod 700 '{path}'" : $"rm '{path}'";

        private static string Octal(int permissions) => Convert.ToString(permissions, 8);
    }
}
