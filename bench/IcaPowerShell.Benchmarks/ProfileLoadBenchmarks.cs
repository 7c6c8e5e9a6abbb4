using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Benchmarks;

/// <summary>Target 3: read, parse and decrypt one profile from a file of 1 or 50 profiles (file in the OS cache): under 50 us for one.</summary>
[MemoryDiagnoser]
public class ProfileLoadBenchmarks
{
    private ProfileStore store = null!;
    private string folder = null!;

    [Params(1, 50)]
    public int Profiles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "IcaPowerShell.Benchmarks", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "profiles.yaml");
        store = new ProfileStore(path, new SecretProtection(ProfileLocation.KeyFilePath(path), ProcessEnvironment.Instance, allowDpapi: false));
        for (var i = 0; i < Profiles; i++)
        {
            store.Save($"p{i}", new ProfileChanges { ApiKey = SecretText.ToSecureString($"benchmark-key-{i}"), OutputFormat = "json" });
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Description = "load + decrypt one profile")]
    public int LoadAndDecrypt()
    {
        var profile = store.Find("p0")!;
        using var key = store.ReadApiKey(profile);
        return key.Length;
    }
}
