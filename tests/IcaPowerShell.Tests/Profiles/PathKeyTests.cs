using IcaPowerShell.Core.Files;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Tests.Profiles;

/// <summary>One profile file is one cache entry, however its path is cased, where the platform ignores case.</summary>
public sealed class PathKeyTests
{
    [Fact]
    public void Where_case_is_ignored_two_spellings_of_one_path_are_one_key()
    {
        Assert.Equal(PathKey.For(@"C:\Users\Me\.icav2\x.yaml", ignoreCase: true), PathKey.For(@"c:\users\me\.ICAV2\X.YAML", ignoreCase: true));
        Assert.NotEqual(PathKey.For("/home/me/.icav2/x.yaml", ignoreCase: false), PathKey.For("/home/me/.icav2/X.yaml", ignoreCase: false));
    }

    [Fact]
    public void This_platform_compares_as_its_file_system_does()
    {
        var windowsOrMac = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX);
        Assert.Equal(windowsOrMac, PathKey.PlatformIgnoresCase);
        Assert.Equal(windowsOrMac, CredentialSources.ProfileSlotKey("/A/p.yaml", "default") == CredentialSources.ProfileSlotKey("/a/P.yaml", "default"));
    }
}
