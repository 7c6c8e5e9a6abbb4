using System.IO;
using System.Runtime.InteropServices;
using System.Security.AccessControl;
using System.Security.Principal;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Restricts files and folders to the current user: mode 0600/0700 on Unix, and on Windows an
    /// ACL that grants the current user full control and inherits nothing.
    /// </summary>
    internal static class UserOnlyAccess
    {
        private const uint UserReadWrite = 0x180; // 0600
        private const uint UserReadWriteExecute = 0x1C0; // 0700

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>
        /// Restricts a file we have just created and still hold open. On Windows the ACL is set
        /// through the open handle: opening the path again would collide with our own exclusive
        /// handle.
        /// </summary>
        public static void RestrictFile(FileStream openFile)
        {
            if (IsWindows)
            {
                var security = new FileSecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(CurrentUser(), FileSystemRights.FullControl, AccessControlType.Allow));
                openFile.SetAccessControl(security);
            }
            else
            {
                Chmod(openFile.Name, UserReadWrite);
            }
        }

        public static void RestrictFolder(string path)
        {
            if (IsWindows)
            {
                var security = new DirectorySecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(
                    CurrentUser(),
                    FileSystemRights.FullControl,
                    InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit,
                    PropagationFlags.None,
                    AccessControlType.Allow));
                new DirectoryInfo(path).SetAccessControl(security);
            }
            else
            {
                Chmod(path, UserReadWriteExecute);
            }
        }

        private static SecurityIdentifier CurrentUser()
        {
            using (var identity = WindowsIdentity.GetCurrent())
            {
                return identity.User!;
            }
        }

        private static void Chmod(string path, uint mode)
        {
            if (NativeMethods.chmod(path, mode) != 0)
            {
                throw new IOException($"Cannot restrict the permissions of '{path}' to the current user (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        private static class NativeMethods
        {
            // netstandard2.0 has no File.SetUnixFileMode; libc's chmod is on every Unix PowerShell runs on.
            [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the native name
            public static extern int chmod(string path, uint mode);
#pragma warning restore SA1300, IDE1006
        }
    }
}
