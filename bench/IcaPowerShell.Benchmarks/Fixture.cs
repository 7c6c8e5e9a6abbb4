using FakeIca;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Benchmarks;

/// <summary>A fake ICA server on loopback and a profile folder of the benchmark's own.</summary>
public sealed class Fixture : IAsyncDisposable
{
    private Fixture(FakeIcaServer server, string folder)
    {
        Server = server;
        Folder = folder;
    }

    public FakeIcaServer Server { get; }

    public string Folder { get; }

    public static async Task<Fixture> StartAsync()
    {
        // pwsh sets PSModulePath at start-up, which makes .NET on Unix keep the environment in a
        // managed table; until something sets a variable, every read is a native getenv() scan.
        // Do as pwsh does, so the figures are the ones Get-IcaToken sees.
        Environment.SetEnvironmentVariable("PSModulePath", Environment.GetEnvironmentVariable("PSModulePath") ?? Path.Combine(Path.GetTempPath(), "Modules"));
        var folder = Path.Combine(Path.GetTempPath(), "IcaPowerShell.Benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new Fixture(await FakeIcaServer.StartAsync(), folder);
    }

    /// <summary>A session on the real process environment and clock, as Get-IcaToken has; or, to measure the engine alone, on no environment.</summary>
    public IcaSession NewSession(bool withProcessEnvironment = true) => new(new IcaSessionOptions
    {
        Environment = withProcessEnvironment ? ProcessEnvironment.Instance : NoVariables.Instance,
        HomeFolder = () => Folder,
        AllowDpapi = false,
    });

    private sealed class NoVariables : IEnvironment
    {
        public static readonly NoVariables Instance = new();

        public string? Get(string name) => null;
    }

    public void SaveProfile(string name = "default") =>
        NewSession().OpenStore(null).Save(name, new ProfileChanges
        {
            Server = ServerAddress.Parse(Server.Url),
            ApiKey = SecretText.ToSecureString(Server.ApiKey),
        });

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
