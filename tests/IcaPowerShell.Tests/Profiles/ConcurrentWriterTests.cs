using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Profiles;

/// <summary>Several processes write different profiles of one file at once, while others read it.</summary>
[Collection(HeavyCollection.Name)]
public sealed class ConcurrentWriterTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task Every_update_of_every_writer_survives_and_no_reader_sees_a_broken_file()
    {
        const int writers = 8;
        const int updates = 100;
        var path = folder.File("profiles.yaml");
        Stores.At(path).Save("seed", Stores.Key("seed"));

        var readers = Enumerable.Range(0, 2).Select(_ => Worker.Start("read", path, "4000")).ToList();
        var writing = Enumerable.Range(0, writers).Select(i => Worker.Start("write", path, $"w{i}", updates.ToString())).ToList();
        foreach (var process in writing.Concat(readers))
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"worker exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        }

        var store = Stores.At(path);
        var profiles = store.ReadAll().ToDictionary(p => p.Name);
        Assert.Equal(writers + 1, profiles.Count);
        for (var i = 0; i < writers; i++)
        {
            var profile = profiles[$"w{i}"];
            Assert.Equal($"p-w{i}-{updates}.example.org", profile.Server.Display);
            Assert.Equal($"worker-key-w{i}-{updates}", Secure.Plain(store.ReadApiKey(profile)));
        }

        foreach (var reader in readers)
        {
            Assert.True(int.Parse(await reader.StandardOutput.ReadToEndAsync()) > 0, "the reader read nothing");
        }
    }

    public void Dispose() => folder.Dispose();
}
