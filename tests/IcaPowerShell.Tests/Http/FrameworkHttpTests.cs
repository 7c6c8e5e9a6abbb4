using System.Net;
using System.Net.Http;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Http;

/// <summary>
/// The HTTP settings that differ on the .NET Framework (Windows PowerShell 5.1): TLS versions,
/// connections per server, Expect: 100-continue, and a TLS failure named as such. On every
/// runtime, against the fake ICA server as its own process; under net472 the client is the .NET
/// Framework's (Mono's HttpWebRequest and ServicePointManager here).
/// </summary>
public sealed class FrameworkHttpTests : IClassFixture<ExternalFakeIca>
{
    private readonly ExternalFakeIca server;

    public FrameworkHttpTests(ExternalFakeIca server) => this.server = server;

    [Theory]
    // 48 is Ssl3 (obsolete on .NET): what powershell.exe often has.
    [InlineData((SecurityProtocolType)48 | SecurityProtocolType.Tls, false, (SecurityProtocolType)48 | SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls, true, SecurityProtocolType.Tls | SecurityProtocolType.Tls12 | FrameworkHttp.Tls13)]
    [InlineData(SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12, false, SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12)]
    [InlineData(FrameworkHttp.Tls13, false, FrameworkHttp.Tls13 | SecurityProtocolType.Tls12)]
    [InlineData((SecurityProtocolType)0, true, (SecurityProtocolType)0)] // SystemDefault: the OS chooses
    public void TLS_1_2_is_added_and_nothing_the_user_set_is_removed(SecurityProtocolType current, bool osHasTls13, SecurityProtocolType expected)
    {
        Assert.Equal(expected, FrameworkHttp.WithModernTls(current, osHasTls13));
    }

    [Fact]
    public void The_primary_handler_is_not_capped_at_two_connections_and_no_request_expects_100_continue()
    {
        using var handler = FrameworkHttp.Configure(new HttpClientHandler());
        Assert.Equal(int.MaxValue, handler.MaxConnectionsPerServer);
        using var client = HttpClientProvider.Create(null, direct: true);
        Assert.False(client.DefaultRequestHeaders.ExpectContinue);
    }

#if NETFRAMEWORK
    // Only the .NET Framework's HttpClient reads ServicePointManager (on .NET the API is obsolete and ignored).
    [Fact]
    public void On_the_NET_Framework_the_process_offers_TLS_1_2_once_a_client_exists()
    {
        using var client = HttpClientProvider.Create(null, direct: true);
        using var handler = FrameworkHttp.Configure(new HttpClientHandler());
        var protocols = ServicePointManager.SecurityProtocol;
        Assert.True(protocols == 0 || protocols.HasFlag(SecurityProtocolType.Tls12), protocols.ToString());
    }

#endif
    [Fact]
    public void A_token_is_minted_over_this_runtimes_HttpClient_with_eight_parallel_sessions()
    {
        var tokens = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ => Session(server.Url).GetToken(new TokenRequest())).ToList();
        Assert.All(tokens, t => Assert.Equal("fake-tenant", t.Tenant));
    }

    [Fact]
    public void A_TLS_failure_is_named_as_such_and_not_retried()
    {
        // The fake server speaks plain HTTP: an https:// client fails in the handshake.
        var verbose = new List<string>();
        var url = server.Url.Replace("http://", "https://");
        var error = Assert.Throws<IcaException>(() => Session(url, verbose.Add).GetToken(new TokenRequest()));
        Assert.Equal(ErrorIds.TlsFailed, error.ErrorId);
        Assert.Contains("TLS handshake", error.Message);
        Assert.Contains("TLS 1.2", error.Message);
        Assert.DoesNotContain(server.ApiKey, error.Message);
        Assert.Single(verbose, line => line.Contains("TLS handshake failed"));
        Assert.DoesNotContain(verbose, line => line.Contains("Retrying"));
    }

    private IcaSession Session(string url, Action<string>? verbose = null)
    {
        var environment = new TestEnvironment { ["ICAV2_X_API_KEY"] = server.ApiKey, ["ICAV2_SERVER_URL"] = url };
        return new IcaSession(new IcaSessionOptions
        {
            Environment = environment,
            HomeFolder = () => Path.Combine(Path.GetTempPath(), "IcaPowerShell.Tests", "no-home-" + Guid.NewGuid().ToString("N")),
            AllowDpapi = false,
            Http = new IcaHttpOptions { Timeout = TimeSpan.FromSeconds(10), Delay = (_, _) => Task.CompletedTask, Verbose = verbose },
        });
    }
}
