using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// What the session benchmarks share: a fake server, a saved default profile, and sessions that
/// read the real environment on every call ("process", as Get-IcaToken does) or none ("none",
/// the engine alone, without the runtime's environment-variable reads).
/// </summary>
public abstract class ProfileSessionBenchmark
{
    protected Fixture Fixture { get; private set; } = null!;

    [Params("process", "none")]
    public string Environment { get; set; } = "process";

    [GlobalSetup]
    public virtual void Setup()
    {
        Fixture = Fixture.StartAsync().GetAwaiter().GetResult();
        Fixture.SaveProfile();
    }

    [GlobalCleanup]
    public virtual void Cleanup() => Fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    protected IcaSession NewSession() => Fixture.NewSession(withProcessEnvironment: Environment == "process");
}
