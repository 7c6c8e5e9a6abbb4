using System.IO;
using System.Security.AccessControl;
using System.Security.Principal;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Creates files and folders that only the current user can use, with those permissions from
    /// the first instant: mode 0600/0700 given to the creating call on Unix, and on Windows an ACL
    /// that grants the current user full control and inherits nothing, passed to the creation.
    /// Nothing is created open and tightened afterwards: a reader that got in between would keep
    /// its handle.
    /// </summary>
    internal static class UserOnlyAccess
    {
        public static bool IsWindows => !UnixFiles.IsUnix;

        /// <summary>A new file for writing; fails if anything (a link included) already has the name.</summary>
        public static FileStream CreateNew(string path)
        {
            if (!IsWindows)
            {
                return UnixFiles.CreateNew(path);
            }

            var security = new FileSecurity();
            security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
            security.AddAccessRule(new FileSystemAccessRule(CurrentUser(), FileSystemRights.FullControl, AccessControlType.Allow));
            return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.FullControl, FileShare.None, 4096, FileOptions.None, security);
        }

        public static void CreateFolder(string path)
        {
            if (!IsWindows)
            {
                UnixFiles.CreateFolder(path);
                return;
            }

            var security = new DirectorySecurity();
            security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
            security.AddAccessRule(new FileSystemAccessRule(
                CurrentUser(),
                FileSystemRights.FullControl,
                InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit,
                PropagationFlags.None,
                AccessControlType.Allow));
            new DirectoryInfo(path).Create(security);
        }

        private static SecurityIdentifier CurrentUser()
        {
            using (var identity = WindowsIdentity.GetCurrent())
            {
                return identity.User!;
            }
        }
    }
}
