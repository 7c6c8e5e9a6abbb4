using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// Target 1: the warm Get-IcaToken engine path (session lookup, freshness check, return) under
/// 100 ns and allocation-free; and a cold mint over loopback, whose ratio to it should exceed 1,000.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks : ProfileSessionBenchmark
{
    private readonly TokenRequest warm = new();
    private readonly TokenRequest force = new() { Force = true };
    private IcaSession session = null!;

    public override void Setup()
    {
        base.Setup();
        session = NewSession();
        session.GetToken(warm);
    }

    [Benchmark(Baseline = true, Description = "warm: cached token for the default profile")]
    public object WarmProfileToken() => session.GetToken(warm);

    [Benchmark(Description = "cold: mint over loopback (-Force)")]
    public object ColdMint() => session.GetToken(force);
}

/// <summary>What one read of an unset environment variable costs on this runtime: the bound on the warm path.</summary>
[MemoryDiagnoser]
public class EnvironmentReadBenchmarks
{
    [Benchmark(Description = "Environment.GetEnvironmentVariable (unset)")]
    public string? ReadUnset() => Environment.GetEnvironmentVariable("ICAV2_ACCESS_TOKEN");
}
