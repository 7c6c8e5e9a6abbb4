using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// Target 1: the warm Get-IcaToken engine path (session lookup, freshness check, return) under
/// 100 ns and allocation-free; and a cold mint over loopback, whose ratio to it should exceed 1,000.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly TokenRequest warm = new();
    private readonly TokenRequest force = new() { Force = true };
    private Fixture fixture = null!;
    private IcaSession session = null!;

    [GlobalSetup]
    public void Setup()
    {
        fixture = Fixture.StartAsync().GetAwaiter().GetResult();
        fixture.SaveProfile();
        session = fixture.NewSession();
        session.GetToken(warm);
    }

    [GlobalCleanup]
    public void Cleanup() => fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "warm: cached token for the default profile")]
    public object WarmProfileToken() => session.GetToken(warm);

    [Benchmark(Description = "cold: mint over loopback (-Force)")]
    public object ColdMint() => session.GetToken(force);
}

/// <summary>
/// The same warm path with the environment read from a dictionary instead of the process: the
/// engine's own cost, without the runtime's environment-variable reads.
/// </summary>
[MemoryDiagnoser]
public class EngineOnlyTokenBenchmarks
{
    private readonly TokenRequest warm = new();
    private Fixture fixture = null!;
    private IcaSession session = null!;

    [GlobalSetup]
    public void Setup()
    {
        fixture = Fixture.StartAsync().GetAwaiter().GetResult();
        fixture.SaveProfile();
        session = new IcaSession(new IcaSessionOptions { Environment = new NoVariables(), HomeFolder = () => fixture.Folder, AllowDpapi = false });
        session.GetToken(warm);
    }

    [GlobalCleanup]
    public void Cleanup() => fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "warm, no process environment reads")]
    public object WarmProfileToken() => session.GetToken(warm);

    private sealed class NoVariables : IcaPowerShell.Core.Configuration.IEnvironment
    {
        public string? Get(string name) => null;
    }
}

/// <summary>What one read of an unset environment variable costs on this runtime: the bound on the warm path.</summary>
[MemoryDiagnoser]
public class EnvironmentReadBenchmarks
{
    [Benchmark(Description = "Environment.GetEnvironmentVariable (unset)")]
    public string? ReadUnset() => Environment.GetEnvironmentVariable("ICAV2_ACCESS_TOKEN");
}
