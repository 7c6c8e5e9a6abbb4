using System.Collections;
using FakeIca;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Rest;

/// <summary>The REST client over real HTTP against the fake ICA server, through the session.</summary>
public sealed class RestClientTests : IAsyncLifetime
{
    private SessionHarness h = null!;

    public async Task InitializeAsync() => h = await SessionHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private TokenRequest Credentials => new(Credential: new ApiKeyCredential(Secure.String(h.Server.ApiKey)), ServerUrl: h.Server.Url);

    private async Task<int> Send(string method, string path, IDictionary? query = null, byte[]? body = null)
    {
        var client = await h.Session.ConnectAsync(Credentials, CancellationToken.None);
        var target = RestTarget.Build(client.Server, path, query);
        var operation = IcaApiTable.Find(method, target.ApiSegments);
        using var response = await client.SendAsync(new RestCall(method, target, MediaTypes.Accept(operation, null), body, MediaTypes.ContentType(operation, null)), CancellationToken.None);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task A_call_and_Get_IcaToken_share_one_token()
    {
        h.Session.GetToken(Credentials);
        Assert.Equal(200, await Send("GET", "projects"));
        Assert.Equal(1, h.Server.TokenRequests);
    }

    [Fact]
    public async Task A_revoked_token_is_replaced_once_and_the_call_sent_again()
    {
        h.Session.GetToken(Credentials);
        h.Server.Api.RevokeIssuedTokens();
        Assert.Equal(200, await Send("GET", "projects"));
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public async Task A_second_401_is_the_error()
    {
        h.Server.Api.RefuseAllTokens = true;
        var error = await Assert.ThrowsAsync<IcaException>(() => Send("GET", "projects"));
        Assert.Equal("ICA_AUTH_006", error.ErrorId);
        Assert.Equal(IcaErrorKind.AuthenticationError, error.Kind);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Theory]
    [InlineData("GET", 3)]
    [InlineData("PUT", 3)]
    [InlineData("DELETE", 3)]
    [InlineData("POST", 1)]
    public async Task A_503_is_retried_only_for_methods_that_may_run_twice(string method, int expected)
    {
        h.Session.GetToken(Credentials);
        h.Server.StandingFault = new Fault(FaultKind.ServiceUnavailable);
        var before = h.Server.ApiRequests;
        await Assert.ThrowsAsync<IcaException>(() => Send(method, "projects/p00001", body: method is "PUT" or "POST" ? "{}"u8.ToArray() : null));
        Assert.Equal(expected, h.Server.ApiRequests - before);
    }

    [Theory]
    [InlineData("GET", 200, 2)]
    [InlineData("POST", 0, 1)]
    public async Task An_answer_that_breaks_off_mid_body_is_retried_only_for_methods_that_may_run_twice(string method, int status, int requests)
    {
        h.Session.GetToken(Credentials);
        h.Server.Enqueue(new Fault(FaultKind.ResetMidBody));
        var before = h.Server.ApiRequests;
        var body = method == "POST" ? "{\"name\":\"maybe-made\"}"u8.ToArray() : null;
        if (status == 0)
        {
            var error = await Assert.ThrowsAsync<IcaException>(() => Send(method, method == "POST" ? "projects" : "projects/p00001", body: body));
            Assert.Equal(ErrorIds.ConnectionFailed, error.ErrorId);
        }
        else
        {
            Assert.Equal(status, await Send(method, "projects/p00001"));
        }

        Assert.Equal(requests, h.Server.ApiRequests - before);
    }

    [Fact]
    public async Task A_429_is_retried_for_a_POST_too()
    {
        h.Session.GetToken(Credentials);
        h.Server.Enqueue(new Fault(FaultKind.TooManyRequests, RetryAfterSeconds: 0));
        Assert.Equal(201, await Send("POST", "projects", body: "{\"name\":\"retried\"}"u8.ToArray()));
        Assert.Contains(TimeSpan.Zero, h.Delays);
    }

    [Fact]
    public async Task A_wrong_Accept_is_ICAs_own_code_with_the_request_as_target()
    {
        var error = await Assert.ThrowsAsync<IcaException>(async () =>
        {
            var client = await h.Session.ConnectAsync(Credentials, CancellationToken.None);
            using var _ = await client.SendAsync(new RestCall("GET", RestTarget.Build(client.Server, "dockerImages", null), MediaTypes.Vendor(3)), CancellationToken.None);
        });
        Assert.Equal("ICA_API_004", error.ErrorId);
        Assert.Equal(IcaErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("GET /api/dockerImages", error.Target);
        Assert.Equal(400, error.HttpStatus);
    }

    [Theory]
    [InlineData("GET", "projects/nope", "ICA_PROJ_404", IcaErrorKind.ObjectNotFound)]
    [InlineData("GET", "projects/forbidden", "ICA_AUTH_403", IcaErrorKind.PermissionDenied)]
    public async Task Problems_keep_ICAs_code_and_map_the_status(string method, string path, string id, IcaErrorKind kind)
    {
        var error = await Assert.ThrowsAsync<IcaException>(() => Send(method, path));
        Assert.Equal(id, error.ErrorId);
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task Validation_problems_name_their_parameters_and_a_conflict_on_POST_is_ResourceExists()
    {
        var invalid = await Assert.ThrowsAsync<IcaException>(() => Send("POST", "projects", body: "{}"u8.ToArray()));
        Assert.Equal(IcaErrorKind.InvalidArgument, invalid.Kind);
        Assert.Contains("name: must not be empty", invalid.Message);

        var exists = await Assert.ThrowsAsync<IcaException>(() => Send("POST", "projects", body: "{\"name\":\"project-00001\"}"u8.ToArray()));
        Assert.Equal(IcaErrorKind.ResourceExists, exists.Kind);
    }

    [Fact]
    public async Task Verbose_lines_show_method_URL_and_status_never_the_token()
    {
        var jwt = h.Session.GetToken(Credentials).ToPlainText();
        await Send("GET", "projects");
        Assert.Contains(h.Verbose, line => line.StartsWith("GET " + h.Server.Url + "/ica/rest/api/projects: 200", StringComparison.Ordinal));
        Assert.All(h.Verbose, line => Assert.DoesNotContain(jwt.Split('.')[2], line));
    }
}
