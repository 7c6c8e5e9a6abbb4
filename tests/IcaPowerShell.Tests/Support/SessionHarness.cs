using System.Collections.Concurrent;
using FakeIca;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Tests.Support;

/// <summary>
/// A fake ICA server, a session pointed at a temp profile folder, a test clock shared by both,
/// and a record of every verbose line and every backoff the client asked for.
/// </summary>
public sealed class SessionHarness : IAsyncDisposable
{
    private SessionHarness(FakeIcaServer server)
    {
        Server = server;
        Server.Clock = () => Clock.UtcNow;
        Environment = new TestEnvironment();
        Options = new IcaSessionOptions
        {
            Environment = Environment,
            Clock = Clock,
            HomeFolder = () => Folder.Path,
            AllowDpapi = false,
            Http = new IcaHttpOptions
            {
                Timeout = TimeSpan.FromSeconds(10),
                Delay = (delay, _) =>
                {
                    Delays.Enqueue(delay);
                    return Task.CompletedTask;
                },
                Verbose = Verbose.Enqueue,
            },
        };
        Session = new IcaSession(Options);
    }

    public FakeIcaServer Server { get; }

    public TempFolder Folder { get; } = new();

    public ManualClock Clock { get; } = new();

    public TestEnvironment Environment { get; }

    public IcaSessionOptions Options { get; }

    public IcaSession Session { get; }

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public ConcurrentQueue<string> Verbose { get; } = new();

    public string ProfilePath => System.IO.Path.Combine(Folder.Path, ProfileLocation.FolderName, ProfileLocation.FileName);

    public static async Task<SessionHarness> StartAsync() => new(await FakeIcaServer.StartAsync());

    /// <summary>Stores a profile with the fake server's URL and key.</summary>
    public IcaProfile SaveProfile(string name = "default", string? apiKey = null) =>
        Session.OpenStore(null).Save(name, new ProfileChanges
        {
            Server = ServerAddress.Parse(Server.Url),
            ApiKey = Secure.String(apiKey ?? Server.ApiKey),
        });

    /// <summary>A second session with the same settings, as a second runspace would have.</summary>
    public IcaSession NewSession() => new(Options);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
