using System.Text.RegularExpressions;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Reliability;

/// <summary>
/// A writer process is killed (SIGKILL on Unix, TerminateProcess on Windows) at random moments
/// while it rewrites the profile file in a loop, 100 times. After every kill the file is a whole
/// version, old or new, and the next writer gets the lock at once.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class CrashConsistencyTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task A_writer_killed_mid_write_never_leaves_a_torn_file_or_a_stuck_lock()
    {
        var path = folder.File("profiles.yaml");
        var random = new Random(97);
        var server = new Regex(@"^p-crash-\d+\.example\.org$");
        var store = Stores.At(path, lockTimeout: TimeSpan.FromSeconds(2));
        for (var round = 0; round < 100; round++)
        {
            using var writer = Worker.Start("write-forever", path, "crash");
            Assert.Equal("started", await writer.StandardOutput.ReadLineAsync());

            // The random moment of the kill is the experiment, not a wait for something.
            await Task.Delay(random.Next(0, 40));
            writer.Kill();
            await writer.WaitForExitAsync();

            var profiles = store.ReadAll().ToDictionary(p => p.Name);
            if (profiles.TryGetValue("crash", out var crashed))
            {
                Assert.Matches(server, crashed.Server.Display);
                Assert.StartsWith("worker-key-crash-", Secure.Plain(store.ReadApiKey(crashed)));
            }

            store.Save("survivor", Stores.Key($"after-round-{round}"));
            Assert.Equal($"after-round-{round}", Secure.Plain(store.ReadApiKey(store.Find("survivor")!)));
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public async Task A_writer_killed_while_creating_the_key_file_never_leaves_a_broken_one()
    {
        // Each round starts with no key file, so every kill can land inside its creation.
        var random = new Random(31);
        for (var round = 0; round < 30; round++)
        {
            var path = folder.File($"round-{round}", "profiles.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var writer = Worker.Start("write-forever", path, "crash");
            Assert.Equal("started", await writer.StandardOutput.ReadLineAsync());
            await Task.Delay(random.Next(0, 15));
            writer.Kill();
            await writer.WaitForExitAsync();

            var store = Stores.At(path, lockTimeout: TimeSpan.FromSeconds(2));
            store.Save("after", Stores.Key("after-the-crash"));
            Assert.Equal("after-the-crash", Secure.Plain(store.ReadApiKey(store.Find("after")!)));
        }
    }

    public void Dispose() => folder.Dispose();
}
