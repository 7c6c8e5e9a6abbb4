using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// Target 4: 1,000 concurrent callers on a cold cache make one request, and the last of them
/// returns within 2x of one mint. Each invocation uses a new session (a cold cache); the request
/// count per invocation is checked after the run.
/// </summary>
[MemoryDiagnoser]
public class SingleFlightBenchmarks : ProfileSessionBenchmark
{
    private readonly TokenRequest request = new();
    private int invocations;

    public override void Cleanup()
    {
        // One request per invocation, however many callers: anything else is a broken single flight.
        if (invocations > 0 && Fixture.Server.TokenRequests != invocations)
        {
            throw new InvalidOperationException($"{Fixture.Server.TokenRequests} requests for {invocations} cold invocations.");
        }

        base.Cleanup();
    }

    [Benchmark(Baseline = true, Description = "one caller, cold cache")]
    public Task<IcaPowerShell.Core.Tokens.IcaToken> OneCaller()
    {
        invocations++;
        return NewSession().GetTokenAsync(request);
    }

    [Benchmark(Description = "1,000 callers, cold cache")]
    public Task ThousandCallers()
    {
        invocations++;
        var session = NewSession();
        var callers = new Task[1000];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = session.GetTokenAsync(request);
        }

        return Task.WhenAll(callers);
    }

}
