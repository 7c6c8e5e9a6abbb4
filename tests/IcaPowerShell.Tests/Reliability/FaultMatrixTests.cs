using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FakeIca;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Reliability;

/// <summary>
/// Every fault the fake server can inject, with retries on and off: the outcome, the number of
/// requests and the waits the client asked for, as the table in docs/RELIABILITY.md. The test
/// fails when the table and the behaviour differ; ICAPOWERSHELL_WRITE_DOCS=1 rewrites the table.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class FaultMatrixTests
{
    private const string Start = "<!-- fault-matrix:start -->";
    private const string End = "<!-- fault-matrix:end -->";

    private static readonly Fault[] Faults =
    {
        new(FaultKind.Unauthorized),
        new(FaultKind.Forbidden),
        new(FaultKind.TooManyRequests, RetryAfterSeconds: 2),
        new(FaultKind.TooManyRequests),
        new(FaultKind.TooManyRequests, RetryAfterSeconds: 3600),
        new(FaultKind.InternalServerError),
        new(FaultKind.BadGateway),
        new(FaultKind.ServiceUnavailable),
        new(FaultKind.GatewayTimeout),
        new(FaultKind.Slow, Delay: TimeSpan.FromSeconds(5)),
        new(FaultKind.TruncatedJson),
        new(FaultKind.HtmlPage),
        new(FaultKind.NotAJwt),
        new(FaultKind.ConnectionReset),
        new(FaultKind.ResetMidBody),
        new(FaultKind.EchoApiKey),
    };

    private static string Document => Path.Combine(Repo.Root, "docs", "RELIABILITY.md");

    [Fact]
    public async Task The_fault_matrix_in_RELIABILITY_md_is_what_the_client_does()
    {
        var rows = new StringBuilder();
        rows.AppendLine("| fault | retries | outcome | requests | waits asked for | time |");
        rows.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var fault in Faults)
        {
            foreach (var retries in new[] { true, false })
            {
                rows.AppendLine(await Row(fault, retries));
            }
        }

        var table = rows.ToString().TrimEnd();
        var text = File.ReadAllText(Document);
        var begin = text.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("ICAPOWERSHELL_WRITE_DOCS") == "1")
        {
            File.WriteAllText(Document, text[..begin] + "\n" + table + "\n" + text[end..]);
            return;
        }

        Assert.Equal(table, text[begin..end].Trim());
    }

    private static async Task<string> Row(Fault fault, bool retries)
    {
        await using var server = await FakeIcaServer.StartAsync();
        var waits = new ConcurrentQueue<TimeSpan>();
        var client = new IcaTokenClient(new IcaHttpOptions
        {
            RetryEnabled = retries,
            // Short only where the timeout is the point: elsewhere a loaded CI machine must not turn
            // a prompt answer into a timeout.
            Timeout = fault.Kind == FaultKind.Slow ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10),
            Delay = (delay, _) =>
            {
                waits.Enqueue(delay);
                return Task.CompletedTask;
            },
        });
        var address = ServerAddress.Parse(server.Url);
        var credential = new ApiKeyCredential(Secure.String(server.ApiKey));

        // One good mint first: a cold server and client must not eat into the 0.5 s timeout.
        await new IcaTokenClient(new IcaHttpOptions()).CreateTokenAsync(address, credential, CancellationToken.None);
        var before = server.TokenRequests;
        server.StandingFault = fault;
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            await client.CreateTokenAsync(address, credential, CancellationToken.None);
            outcome = "token";
        }
        catch (IcaException ex)
        {
            outcome = $"{ex.ErrorId} ({ex.Kind})";
        }

        clock.Stop();
        var requests = server.TokenRequests - before;
        string time;
        if (fault.Kind == FaultKind.Slow)
        {
            // Timers may fire a few milliseconds early against the stopwatch: allow 10% below.
            Assert.InRange(clock.Elapsed.TotalSeconds, requests * 0.45, (requests * 0.5) + 5);
            time = $"{requests} × 0.5 s timeout";
        }
        else
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{fault} took {clock.Elapsed}");
            time = "immediate";
        }

        return $"| {fault} | {(retries ? "on" : "off")} | {outcome} | {requests} | {Describe(waits.ToList(), fault)} | {time} |";
    }

    /// <summary>Retry-After waits are exact; backoff waits are jittered, so they are named by their nominal value.</summary>
    private static string Describe(IReadOnlyList<TimeSpan> waits, Fault fault)
    {
        if (waits.Count == 0)
        {
            return "none";
        }

        return string.Join(", ", waits.Select((wait, i) => fault.RetryAfterSeconds != null
            ? $"{wait.TotalSeconds:0} s (Retry-After)"
            : Nominal(wait, i)));
    }

    private static string Nominal(TimeSpan wait, int index)
    {
        var nominal = Math.Pow(2, index);
        Assert.InRange(wait.TotalSeconds, nominal * 0.5, nominal * 1.5);
        return $"{nominal:0} s ±50%";
    }
}
