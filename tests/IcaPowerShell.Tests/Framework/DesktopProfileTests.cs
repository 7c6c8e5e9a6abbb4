using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Framework;

/// <summary>
/// Profiles and key protection on every runtime, net472 included: on Windows the .NET Framework
/// runs the Windows path (protected ACLs from the packages' real .NET Framework assemblies, DPAPI);
/// on Mono what cannot run is skipped with the reason.
/// </summary>
public sealed class DesktopProfileTests : IDisposable
{
    private readonly TempFolder folder = new();

    [WritesFilesFact]
    public void A_profile_with_the_key_file_scheme_is_written_and_read_back()
    {
        var path = folder.File(".icav2", "powershell-profiles.yaml");
        var changes = Stores.Key("desktop-key-0001");
        changes.Server = ServerAddress.Parse("ica.illumina.com");
        Stores.At(path).Save("default", changes);
        var store = Stores.At(path);
        Assert.Equal("desktop-key-0001", Secure.Plain(store.ReadApiKey(store.Find("default")!)));
        Assert.DoesNotContain("desktop-key-0001", File.ReadAllText(path));
    }

    [WindowsFact("DPAPI exists only on Windows")]
    public void DPAPI_protects_and_unprotects_for_this_Windows_user()
    {
        var envelope = DpapiProtector.Protect(new byte[] { 7, 8, 9 });
        Assert.Equal(new byte[] { 7, 8, 9 }, DpapiProtector.Unprotect(envelope, "test"));
    }

    public void Dispose() => folder.Dispose();
}
