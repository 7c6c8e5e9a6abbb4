using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Tests.Support;

public static class Stores
{
    /// <summary>A store at PATH using the key-file scheme (DPAPI off, so the test means the same on every OS).</summary>
    public static ProfileStore At(string path, TestEnvironment? environment = null, TimeSpan? lockTimeout = null) =>
        new(path, new SecretProtection(ProfileLocation.KeyFilePath(path), environment ?? new TestEnvironment(), allowDpapi: false), lockTimeout);

    public static ProfileChanges Key(string apiKey) => new() { ApiKey = Secure.String(apiKey) };
}
