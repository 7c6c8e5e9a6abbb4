using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// The few system calls that .NET Standard does not expose and a file holding a secret needs:
    /// open with the final mode and without following links, fstat/lstat for owner and mode, and
    /// flock. They go through libSystem.Native, the runtime's own shim (PowerShell 7 on Unix is
    /// always .NET 8 or later), because its flag values and stat layout are the same on Linux and
    /// macOS, where libc's differ.
    /// </summary>
    internal static class UnixFiles
    {
        // PAL open flags (System.Native's, not the platform's).
        private const int ReadOnly = 0x0;
        private const int WriteOnly = 0x1;
        private const int ReadWrite = 0x2;
        private const int CloseOnExec = 0x10;
        private const int Create = 0x20;
        private const int Exclusive = 0x40;
        private const int NoFollow = 0x200;

        private const int LockExclusive = 2;
        private const int LockNonBlocking = 4;

        private const int TypeMask = 0xF000;
        private const int TypeRegular = 0x8000;
        private const int TypeDirectory = 0x4000;
        private const int TypeLink = 0xA000;

        public const int UserReadWrite = 0x180; // 0600
        public const int UserOnlyFolder = 0x1C0; // 0700

        private const int ErrnoExists = 17;

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Creates PATH for writing with mode 0600 in the same call; fails if anything, a link included, is there.</summary>
        public static FileStream CreateNew(string path) =>
            new FileStream(Open(path, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, UserReadWrite), FileAccess.Write);

        /// <summary>Creates PATH for writing with MODE (less the umask) in the same call; fails if anything, a link included, is there.</summary>
        public static FileStream CreateNew(string path, int mode) =>
            new FileStream(Open(path, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, mode), FileAccess.Write);

        /// <summary>Opens what is at PATH (a device or a FIFO) for writing, as it is, never through a link.</summary>
        public static FileStream OpenWriteExisting(string path) =>
            new FileStream(Open(path, WriteOnly | NoFollow | CloseOnExec, 0), FileAccess.Write, 1);

        /// <summary>Opens or creates PATH (mode 0600 when created) for reading and writing, never through a link.</summary>
        public static SafeFileHandle OpenOrCreateNoFollow(string path) =>
            Open(path, ReadWrite | Create | NoFollow | CloseOnExec, UserReadWrite);

        /// <summary>Opens an existing PATH for reading, never through a link.</summary>
        public static FileStream OpenReadNoFollow(string path) =>
            new FileStream(Open(path, ReadOnly | NoFollow | CloseOnExec, 0), FileAccess.Read);

        /// <summary>
        /// Gives the file EXISTING a second name, NEWPATH, only if nothing has that name: false
        /// when something does (link fails with EEXIST, atomically, where .NET's File.Move without
        /// overwrite checks and then renames, which two racing creators can both pass). Null when
        /// this file system has no hard links, for the caller to fall back.
        /// </summary>
        public static bool? TryLinkNew(string existing, string newPath)
        {
            if (Native.Link(existing, newPath) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastWin32Error();
            if (errno == ErrnoExists)
            {
                return false;
            }

            // EPERM, EXDEV, EMLINK, ENOTSUP (95 Linux, 45 macOS), ENOSYS (38 Linux, 78 macOS): no hard links here.
            if (errno == 1 || errno == 18 || errno == 31 || errno == 95 || errno == 45 || errno == 38 || errno == 78)
            {
                return null;
            }

            throw Failure("create", newPath, errno);
        }

        /// <summary>Takes the exclusive flock without waiting; false when another process holds it.</summary>
        public static bool TryLock(SafeFileHandle handle)
        {
            if (Native.FLock(handle, LockExclusive | LockNonBlocking) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastWin32Error();
            // EWOULDBLOCK: 11 on Linux, 35 on macOS.
            if (errno == 11 || errno == 35)
            {
                return false;
            }

            throw Failure("lock", "the lock file", errno);
        }

        public static void CreateFolder(string path)
        {
            if (Native.MkDir(path, UserOnlyFolder) != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                if (errno != ErrnoExists)
                {
                    throw Failure("create the folder", path, errno);
                }

                if (Inspect(Path.Combine(path, "."))?.Kind != UnixEntryKind.Folder)
                {
                    throw new IOException($"'{path}' exists and is not a folder.");
                }
            }
        }

        /// <summary>What lstat says of PATH (a link is reported as a link); null when nothing is there.</summary>
        public static UnixEntry? Inspect(string path)
        {
            if (Native.LStat(path, out var status) != 0)
            {
                return null;
            }

            return ToEntry(status);
        }

        public static UnixEntry Inspect(SafeFileHandle handle)
        {
            if (Native.FStat(handle, out var status) != 0)
            {
                throw Failure("inspect", "an open file", Marshal.GetLastWin32Error());
            }

            return ToEntry(status);
        }

        public static void ChangeMode(string path, int mode)
        {
            if (Native.ChMod(path, mode) != 0)
            {
                throw Failure("change the permissions of", path, Marshal.GetLastWin32Error());
            }
        }

        public static uint EffectiveUserId => Native.GetEUid();

        private static SafeFileHandle Open(string path, int flags, int mode)
        {
            var handle = Native.Open(path, flags, mode);
            if (handle.IsInvalid)
            {
                var errno = Marshal.GetLastWin32Error();
                handle.Dispose();
                // ELOOP: NoFollow met a symbolic link (40 on Linux, 62 on macOS).
                if (errno == 40 || errno == 62)
                {
                    throw new IOException($"'{path}' is a symbolic link; IcaPowerShell does not follow links for its own files. Remove the link.");
                }

                if (errno == ErrnoExists)
                {
                    throw new IOException($"'{path}' already exists.");
                }

                throw Failure("open", path, errno);
            }

            return handle;
        }

        private static UnixEntry ToEntry(Native.FileStatus status)
        {
            var type = status.Mode & TypeMask;
            var kind = type == TypeRegular ? UnixEntryKind.File : type == TypeDirectory ? UnixEntryKind.Folder : type == TypeLink ? UnixEntryKind.Link : UnixEntryKind.Other;
            return new UnixEntry(kind, status.Uid, status.Mode & 0xFFF, status.Size);
        }

        private static IOException Failure(string action, string what, int errno) =>
            new IOException($"Cannot {action} '{what}' (errno {errno}).");

        private static class Native
        {
            // .NET ships these shims as libSystem.Native. The net472 build runs on Unix only under
            // Mono (the tests; Windows PowerShell is Windows-only), whose libmono-native carries the
            // same shims, with the stat calls under their earlier names (same leading fields).
#if NETFRAMEWORK
            private const string Library = "libmono-native";
            private const string LStatEntry = "SystemNative_LStat2";
            private const string FStatEntry = "SystemNative_FStat2";
#else
            private const string Library = "libSystem.Native";
            private const string LStatEntry = "SystemNative_LStat";
            private const string FStatEntry = "SystemNative_FStat";
#endif

            // Only the leading fields are read; the rest of the runtime's struct lands in the padding.
            [StructLayout(LayoutKind.Sequential)]
            public struct FileStatus
            {
                public int Flags;
                public int Mode;
                public uint Uid;
                public uint Gid;
                public long Size;
                [MarshalAs(UnmanagedType.ByValArray, SizeConst = 32)]
                public long[] Rest;
            }

            [DllImport(Library, EntryPoint = "SystemNative_Open", SetLastError = true)]
            public static extern SafeFileHandle Open(string path, int flags, int mode);

            [DllImport(Library, EntryPoint = "SystemNative_FLock", SetLastError = true)]
            public static extern int FLock(SafeFileHandle fd, int operation);

            [DllImport(Library, EntryPoint = LStatEntry, SetLastError = true)]
            public static extern int LStat(string path, out FileStatus output);

            [DllImport(Library, EntryPoint = FStatEntry, SetLastError = true)]
            public static extern int FStat(SafeFileHandle fd, out FileStatus output);

            [DllImport(Library, EntryPoint = "SystemNative_ChMod", SetLastError = true)]
            public static extern int ChMod(string path, int mode);

            [DllImport(Library, EntryPoint = "SystemNative_Link", SetLastError = true)]
            public static extern int Link(string source, string linkTarget);

            [DllImport(Library, EntryPoint = "SystemNative_MkDir", SetLastError = true)]
            public static extern int MkDir(string path, int mode);

            [DllImport(Library, EntryPoint = "SystemNative_GetEUid")]
            public static extern uint GetEUid();
        }
    }

    internal enum UnixEntryKind
    {
        File,
        Folder,
        Link,
        Other,
    }

    /// <summary>A file system entry's type, owner, permission bits (mode &amp; 07777) and size.</summary>
    internal sealed record UnixEntry(UnixEntryKind Kind, uint Owner, int Permissions, long Size)
    {
        public bool OpenToGroupOrOthers => (Permissions & 0x3F) != 0; // 077

        public bool WritableByGroupOrOthers => (Permissions & 0x12) != 0; // 022
    }
}
