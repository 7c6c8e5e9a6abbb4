using System;
using System.Runtime.InteropServices;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Paths used as cache keys, compared as the platform's file system compares them: Windows and
    /// macOS (by default) ignore case, so C:\Users\Me\x.yaml and c:\users\me\X.YAML are one file and
    /// must be one cache entry, not two that go stale apart. Linux compares exactly.
    /// </summary>
    internal static class PathKey
    {
        public static bool PlatformIgnoresCase { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public static StringComparer Comparer => PlatformIgnoresCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        public static string For(string path) => For(path, PlatformIgnoresCase);

        public static string For(string path, bool ignoreCase) => ignoreCase ? path.ToUpperInvariant() : path;
    }
}
