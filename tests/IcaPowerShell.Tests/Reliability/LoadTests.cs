using System.Collections.Concurrent;
using System.Diagnostics;
using FakeIca;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Reliability;

/// <summary>
/// 16 threads call the engine's Get-IcaToken path for 10 s of real time against tokens that live
/// 2 s. Every token must be valid when it was asked for: the engine checks freshness at some
/// moment inside the call, so the call's start is the moment the guarantee covers (a thread can be
/// descheduled for longer than the refresh margin after the check). Bound: JWT times are whole seconds, so a token minted at t expires between t+1 s and
/// t+2 s and is renewed 0.2 s before that: it serves at least 0.8 s and at most 1.8 s. Over 10 s
/// that is between 5 and 14 mints. The callers are dedicated threads, as runspaces are: the
/// synchronous path blocks its caller while a mint is under way, as Get-IcaToken blocks its pipeline.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class LoadTests
{
    [Fact]
    public async Task Sixteen_threads_for_ten_seconds_get_only_valid_tokens_and_about_one_mint_per_lifetime()
    {
        await using var server = await FakeIcaServer.StartAsync();
        server.TokenLifetime = TimeSpan.FromSeconds(2);
        using var folder = new TempFolder();
        var session = new IcaSession(new IcaSessionOptions
        {
            Environment = new TestEnvironment { [EnvironmentVariables.ApiKey] = server.ApiKey, [EnvironmentVariables.ServerUrl] = server.Url },
            HomeFolder = () => folder.Path,
        });
        var duration = TimeSpan.FromSeconds(10);
        var expiredWhenAsked = 0;
        var calls = new ConcurrentBag<int>();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
        {
            var request = new TokenRequest();
            var count = 0;
            while (clock.Elapsed < duration)
            {
                var asked = DateTime.UtcNow;
                var token = session.GetToken(request);
                if (asked >= token.ExpiresOn)
                {
                    Interlocked.Increment(ref expiredWhenAsked);
                }

                count++;
            }

            calls.Add(count);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, expiredWhenAsked);
        Assert.InRange(server.TokenRequests, 5, 14);
        Assert.True(calls.Sum() > 100_000, $"only {calls.Sum()} calls in 10 s");
    }
}
