using System;
using System.IO;
using IcaPowerShell.Core.Diagnostics;
using IcaPowerShell.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Decides, as ssh does for ~/.ssh, whether a folder or file that already exists can be trusted
    /// with a secret. A folder must belong to the current user or root. One that others can write
    /// is used as it is when it has the sticky bit (/tmp: others cannot rename or delete our files
    /// in it), is tightened with a warning when it is the module's own folder (~/.icav2), and is
    /// refused otherwise: a folder the user shares with others is never changed. A file must be a
    /// regular file of the current user that no one else can write; one that others can read is
    /// tightened, with a warning. What is refused gets an error that names it and the fix. On
    /// Windows the files get a protected ACL when created, and nothing here applies.
    /// </summary>
    internal static class FileTrust
    {
        private const int Sticky = 0x200; // 01000
        private const int GroupOrOthersWrite = 0x12; // 022

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
            if (entry.Owner != me && entry.Owner != 0)
            {
                throw Unsafe(folder, $"The folder '{folder}' belongs to another user (uid {entry.Owner}), who could replace the files in it", OwnFolder);
            }

            if (!entry.WritableByGroupOrOthers || (entry.Permissions & Sticky) != 0)
            {
                // Writable by others with the sticky bit: a shared temp folder. Only the owner of a
                // file (or the folder's owner, us or root) may rename or delete it there, and every
                // file of ours is created O_EXCL and checked by owner, so it is used as it is.
                return;
            }

            // Reached through a link, ~/.icav2 is another folder, most likely one shared on purpose: not ours to change.
            if (entry.Owner != me || !IsModuleFolder(folder) || UnixFiles.Inspect(folder.TrimEnd('/'))?.Kind == UnixEntryKind.Link)
            {
                throw new IcaException(
                    ErrorIds.UnsafePermissions,
                    IcaErrorKind.SecurityError,
                    $"Other users can write to the folder '{folder}' (mode {Octal(entry.Permissions)}) and it has no sticky bit, so they could replace the key and profile files in it. IcaPowerShell will not use it, and does not change the mode of a folder it did not make. Fix: chmod go-w '{folder}' (or chmod +t, if others must write there), or {OwnFolder}.",
                    folder);
            }

            var tightened = entry.Permissions & ~GroupOrOthersWrite;
            UnixFiles.ChangeMode(folder, tightened);
            EngineLog.Warning($"Other users could write to the folder '{folder}' (mode {Octal(entry.Permissions)}); it is IcaPowerShell's own folder and yours, so its mode was changed to {Octal(tightened)}. Check that no file in it was put there by someone else.");
        }

        /// <summary>Checks an existing file by path before it is used; nothing there is fine.</summary>
        public static void CheckFile(string path, string what, string errorIdWhenNotAFile)
        {
            if (CheckFileDeferred(path, what, errorIdWhenNotAFile) is UnixEntry tooOpen)
            {
                Tighten(path, what, tooOpen);
            }
        }

        /// <summary>
        /// As <see cref="CheckFile"/>, but a file of ours that others can read is returned instead
        /// of tightened, for the caller to tighten once it knows the file is one it will use (a
        /// file that turns out unparseable is left exactly as it was).
        /// </summary>
        public static UnixEntry? CheckFileDeferred(string path, string what, string errorIdWhenNotAFile)
        {
            if (!UnixFiles.IsUnix)
            {
                return null;
            }

            var entry = UnixFiles.Inspect(path);
            if (entry == null)
            {
                return null;
            }

            Refuse(entry, path, what, errorIdWhenNotAFile);
            return entry.OpenToGroupOrOthers ? entry : null;
        }

        /// <summary>Checks a file we have just opened: the handle is what we will read or lock, whatever the path says now.</summary>
        public static UnixEntry CheckOpened(SafeFileHandle handle, string path, string what, string errorIdWhenNotAFile)
        {
            var entry = UnixFiles.Inspect(handle);
            Refuse(entry, path, what, errorIdWhenNotAFile);
            if (entry.OpenToGroupOrOthers)
            {
                Tighten(path, what, entry);
            }

            return entry;
        }

        /// <summary>Makes a file of ours that others could read 0600, and says so.</summary>
        public static void Tighten(string path, string what, UnixEntry entry)
        {
            UnixFiles.ChangeMode(path, UnixFiles.UserReadWrite);
            EngineLog.Warning($"The {what} '{path}' was open to other users (mode {Octal(entry.Permissions)}); it is yours, so its mode was changed to 600. If others could read it before, treat the secrets in it as exposed.");
        }

        private const string OwnFolder = "use a folder of your own with -Path or $env:" + Configuration.EnvironmentVariables.ConfigPath;

        /// <summary>~/.icav2, or any folder of that name: the module's own, which it may tighten.</summary>
        private static bool IsModuleFolder(string folder) =>
            string.Equals(Path.GetFileName(folder.TrimEnd('/')), Profiles.ProfileLocation.FolderName, StringComparison.Ordinal);

        private static void Refuse(UnixEntry entry, string path, string what, string errorIdWhenNotAFile)
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

            if (entry.WritableByGroupOrOthers)
            {
                // Others could have written what we would read (a key whose bytes they know, a
                // server URL of theirs): tightening it now would not undo that.
                throw Unsafe(path, $"Other users can write to the {what} '{path}' (mode {Octal(entry.Permissions)}), so its content may not be yours", "remove it (the module creates a new one), or use a folder of your own with -Path");
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
