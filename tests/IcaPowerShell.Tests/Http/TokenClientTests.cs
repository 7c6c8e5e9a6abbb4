using System.Collections.Concurrent;
using FakeIca;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Http;

/// <summary>The token client against the fake ICA server, over real HTTP on loopback.</summary>
public sealed class TokenClientTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<TimeSpan> delays = new();
    private readonly ConcurrentQueue<string> verbose = new();
    private FakeIcaServer server = null!;

    public async Task InitializeAsync() => server = await FakeIcaServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private IcaTokenClient Client(Action<IcaHttpOptions>? configure = null)
    {
        var options = new IcaHttpOptions
        {
            Timeout = TimeSpan.FromSeconds(10),
            Delay = (delay, _) =>
            {
                delays.Enqueue(delay);
                return Task.CompletedTask;
            },
            Verbose = verbose.Enqueue,
        };
        configure?.Invoke(options);
        return new IcaTokenClient(options);
    }

    private ServerAddress Address => ServerAddress.Parse(server.Url);

    private ApiKeyCredential GoodKey => new(Secure.String(server.ApiKey));

    private Task<MintedJwt> Mint(IcaTokenClient? client = null, IcaCredential? credential = null) =>
        (client ?? Client()).CreateTokenAsync(Address, credential ?? GoodKey, CancellationToken.None);

    [Fact]
    public async Task An_API_key_mints_a_JWT_with_ICAs_claims()
    {
        server.TokenLifetime = TimeSpan.FromMinutes(30);
        var minted = await Mint();

        Assert.Equal(3, minted.Jwt.Split('.').Length);
        Assert.Equal("fake-tenant", minted.Claims.Tenant);
        Assert.Equal("user-1", minted.Claims.Subject);
        Assert.Equal(TimeSpan.FromMinutes(30), minted.Claims.ExpiresOn - minted.Claims.IssuedAt!.Value);
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task The_request_carries_ICAs_media_type_gzip_and_a_user_agent()
    {
        await Mint();
        var headers = server.Requests.Single();
        Assert.Equal("application/vnd.illumina.v3+json", headers["Accept"]);
        Assert.Contains("gzip", headers["Accept-Encoding"]);
        Assert.StartsWith("IcaPowerShell/", headers["User-Agent"]);
        Assert.Equal(server.ApiKey, headers["X-API-Key"]);
    }

    [Fact]
    public async Task Basic_authentication_with_a_tenant_mints_a_refreshable_token()
    {
        var credential = new BasicCredential(server.UserName, Secure.String(server.Password), "fake-tenant");
        var minted = await Mint(credential: credential);
        var refreshed = await Client().RefreshTokenAsync(Address, minted.Jwt, CancellationToken.None);

        Assert.NotEqual(minted.Jwt, refreshed.Jwt);
        Assert.Equal(1, server.RefreshRequests);
    }

    [Fact]
    public async Task A_wrong_API_key_is_rejected_with_advice_and_without_the_key()
    {
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint(credential: new ApiKeyCredential(Secure.String("wrong-key-value"))));

        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
        Assert.Equal(IcaErrorKind.AuthenticationError, error.Kind);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal("ICA_AUTH_001", error.IcaErrorCode);
        Assert.Contains("Set-IcaConfig", error.Message);
        Assert.Contains("Illumina portal", error.Message);
        Assert.DoesNotContain("wrong-key-value", error.Message);
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task A_wrong_password_is_rejected_as_a_credential()
    {
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint(credential: new BasicCredential(server.UserName, Secure.String("nope"), null)));
        Assert.Equal("IcaCredentialRejected", error.ErrorId);
        Assert.Contains("single sign-on", error.Message);
    }

    [Theory]
    [InlineData(FaultKind.Unauthorized, "IcaApiKeyRejected")]
    [InlineData(FaultKind.Forbidden, "IcaAccessDenied")]
    [InlineData(FaultKind.InternalServerError, "IcaServerError")]
    [InlineData(FaultKind.TruncatedJson, "IcaInvalidResponse")]
    [InlineData(FaultKind.HtmlPage, "IcaInvalidResponse")]
    [InlineData(FaultKind.NotAJwt, "IcaInvalidResponse")]
    public async Task Faults_that_retrying_cannot_fix_fail_after_one_attempt(FaultKind fault, string errorId)
    {
        server.StandingFault = new Fault(fault);
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint());
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(1, server.TokenRequests);
        Assert.Empty(delays);
    }

    [Theory]
    [InlineData(FaultKind.BadGateway)]
    [InlineData(FaultKind.ServiceUnavailable)]
    [InlineData(FaultKind.GatewayTimeout)]
    [InlineData(FaultKind.TooManyRequests)]
    [InlineData(FaultKind.ConnectionReset)]
    [InlineData(FaultKind.ResetMidBody)]
    public async Task Transient_faults_are_retried_until_a_token_comes(FaultKind fault)
    {
        server.Enqueue(new Fault(fault), new Fault(fault));
        var minted = await Mint();
        Assert.NotNull(minted.Claims);
        Assert.Equal(3, server.TokenRequests);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Retries_stop_after_three_attempts_with_the_last_error()
    {
        server.StandingFault = new Fault(FaultKind.ServiceUnavailable);
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint());
        Assert.Equal("IcaServerError", error.ErrorId);
        Assert.Equal(503, error.HttpStatus);
        Assert.Contains("text/html", error.Message);
        Assert.Contains("503 Service Temporarily Unavailable", error.Message);
        Assert.Equal(3, server.TokenRequests);
    }

    [Fact]
    public async Task Backoff_doubles_with_jitter()
    {
        server.StandingFault = new Fault(FaultKind.BadGateway);
        await Assert.ThrowsAsync<IcaException>(() => Mint(Client(o => o.MaxAttempts = 4)));
        var waits = delays.ToArray();
        Assert.Equal(3, waits.Length);
        for (var i = 0; i < waits.Length; i++)
        {
            var nominal = Math.Pow(2, i);
            Assert.InRange(waits[i].TotalSeconds, nominal * 0.5, nominal * 1.5);
        }
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        server.Enqueue(new Fault(FaultKind.TooManyRequests, RetryAfterSeconds: 7));
        await Mint();
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(delays));
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_limit_fails_at_once_and_says_how_long_to_wait()
    {
        server.Enqueue(new Fault(FaultKind.TooManyRequests, RetryAfterSeconds: 3600));
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint());
        Assert.Equal("IcaRateLimited", error.ErrorId);
        Assert.Contains("3600 s", error.Message);
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task Retries_can_be_turned_off_as_in_icav2()
    {
        server.StandingFault = new Fault(FaultKind.TooManyRequests, RetryAfterSeconds: 1);
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint(Client(o => o.RetryEnabled = false)));
        Assert.Equal("IcaRateLimited", error.ErrorId);
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_abandoned_and_retried()
    {
        server.StandingFault = new Fault(FaultKind.Slow, Delay: TimeSpan.FromSeconds(30));
        var client = Client(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint(client));
        Assert.Equal("IcaTimeout", error.ErrorId);
        Assert.Equal(IcaErrorKind.OperationTimeout, error.Kind);

        // Three attempts, each abandoned at its timeout. Counted on the client's side: on a loaded
        // machine the server may not have accepted the last one before the client gave up on it.
        Assert.Equal(3, verbose.Count(line => line.Contains("no answer within 0.3 s", StringComparison.Ordinal)));
        Assert.Contains(verbose, line => line.Contains("(attempt 3 of 3)", StringComparison.Ordinal));
        Assert.InRange(server.TokenRequests, 1, 3);
    }

    [Fact]
    public async Task A_wrong_Accept_header_is_what_ICA_reports_as_ICA_API_004()
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(server.Url + "/ica/rest/api/tokens", null);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("ICA_API_004", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_API_key_token_cannot_be_refreshed()
    {
        var minted = await Mint();
        var error = await Assert.ThrowsAsync<IcaException>(() => Client().RefreshTokenAsync(Address, minted.Jwt, CancellationToken.None));
        Assert.Equal("IcaCredentialRejected", error.ErrorId);
        Assert.DoesNotContain(minted.Jwt, error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_connection_error_after_retries()
    {
        var port = server.Url[(server.Url.LastIndexOf(':') + 1)..];
        await server.DisposeAsync();
        var error = await Assert.ThrowsAsync<IcaException>(() => Client().CreateTokenAsync(ServerAddress.Parse("http://127.0.0.1:" + port), GoodKey, CancellationToken.None));
        Assert.Equal("IcaConnectionFailed", error.ErrorId);
        Assert.Equal(2, delays.Count);
        server = await FakeIcaServer.StartAsync();
    }

    [Fact]
    public async Task A_server_that_echoes_the_key_and_a_token_has_both_cut_from_the_error()
    {
        server.StandingFault = new Fault(FaultKind.EchoApiKey);
        var error = await Assert.ThrowsAsync<IcaException>(() => Mint());
        Assert.DoesNotContain(server.ApiKey, error.Message);
        Assert.All(server.IssuedTokens, jwt => Assert.DoesNotContain(jwt, error.Message));
        Assert.Contains("***", error.Message);
        Assert.Contains("[token]", error.Message);
    }

    [Fact]
    public async Task Verbose_lines_report_attempts_without_secrets()
    {
        server.Enqueue(new Fault(FaultKind.BadGateway));
        var minted = await Mint();
        Assert.Contains(verbose, line => line.Contains("502") && line.Contains("attempt 1 of 3"));
        Assert.Contains(verbose, line => line.StartsWith("Retrying POST"));
        Assert.All(verbose, line => Assert.DoesNotContain(server.ApiKey, line));
        Assert.All(verbose, line => Assert.DoesNotContain(minted.Jwt, line));
    }

    private static readonly ServerAddress Remote = ServerAddress.Parse("ica.example.invalid");

    [Fact]
    public async Task An_explicit_proxy_carries_https_requests()
    {
        await using var proxy = await FakeIcaServer.StartAsync();
        var client = Client(o => { o.Proxy = ProxySelection.Explicit(new Uri(proxy.Url), null); o.RetryEnabled = false; });

        // The fake is no real proxy: it counts the CONNECT and cannot tunnel, so the call fails.
        var error = await Assert.ThrowsAsync<IcaException>(() => client.CreateTokenAsync(Remote, GoodKey, CancellationToken.None));

        Assert.Equal(ErrorIds.ConnectionFailed, error.ErrorId);
        Assert.Equal(1, proxy.ProxiedRequests);
    }

    [Fact]
    public async Task HTTPS_PROXY_from_the_environment_is_used_and_NO_PROXY_bypasses_it()
    {
        await using var proxy = await FakeIcaServer.StartAsync();
        var environment = new TestEnvironment { ["HTTPS_PROXY"] = proxy.Url };
        var viaProxy = Client(o => { o.Proxy = ProxySelection.FromEnvironment(environment); o.RetryEnabled = false; });
        await Assert.ThrowsAsync<IcaException>(() => viaProxy.CreateTokenAsync(Remote, GoodKey, CancellationToken.None));
        Assert.Equal(1, proxy.ProxiedRequests);

        environment["NO_PROXY"] = "example.invalid, 127.0.0.1";
        var bypassing = Client(o => { o.Proxy = ProxySelection.FromEnvironment(environment); o.RetryEnabled = false; });
        await Assert.ThrowsAsync<IcaException>(() => bypassing.CreateTokenAsync(Remote, GoodKey, CancellationToken.None));
        Assert.Equal(1, proxy.ProxiedRequests);
    }

    [Fact]
    public async Task Plain_http_to_loopback_never_goes_through_a_proxy()
    {
        await using var proxy = await FakeIcaServer.StartAsync();
        var environment = new TestEnvironment { ["HTTP_PROXY"] = proxy.Url, ["HTTPS_PROXY"] = proxy.Url };
        await Mint(client: Client(o => o.Proxy = ProxySelection.FromEnvironment(environment)));
        await Mint(client: Client(o => o.Proxy = ProxySelection.Explicit(new Uri(proxy.Url), null)));
        Assert.Equal(0, proxy.ProxiedRequests);
        Assert.Equal(2, server.TokenRequests);
    }

    [Theory]
    [InlineData("example.org", "https://ica.example.org/", true)]
    [InlineData(".example.org", "https://example.org/", true)]
    [InlineData("example.org", "https://notexample.org/", false)]
    [InlineData("*", "https://ica.illumina.com/", true)]
    [InlineData("", "https://ica.illumina.com/", false)]
    public void NO_PROXY_follows_curls_rules(string noProxy, string destination, bool bypassed)
    {
        var environment = new TestEnvironment { ["HTTPS_PROXY"] = "http://proxy.local:3128", ["NO_PROXY"] = noProxy };
        var proxy = ProxySelection.FromEnvironment(environment)!;
        Assert.Equal(bypassed, proxy.IsBypassed(new Uri(destination)));
        Assert.Equal(new Uri("http://proxy.local:3128"), proxy.GetProxy(new Uri(destination)));
    }

    [Fact]
    public void No_proxy_variables_means_the_system_proxy()
    {
        Assert.Null(ProxySelection.FromEnvironment(new TestEnvironment()));
    }
}
