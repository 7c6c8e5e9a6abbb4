using FakeIca;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Rest;

/// <summary>-All's page sequence in Core, and the bearer handler's one server, over real HTTP against the fake ICA server.</summary>
public sealed class RestPagesTests : IAsyncLifetime
{
    private SessionHarness h = null!;

    public async Task InitializeAsync()
    {
        h = await SessionHarness.StartAsync();
        h.Server.Api.Reset(25);
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    private TokenRequest Credentials => new(Credential: new ApiKeyCredential(Secure.String(h.Server.ApiKey)), ServerUrl: h.Server.Url);

    private async Task<(IcaRestClient Client, RestCall Call)> ProjectsCall(string query = "pageSize=10")
    {
        var client = await h.Session.ConnectAsync(Credentials, CancellationToken.None);
        return (client, new RestCall("GET", RestTarget.Build(client.Server, "projects?" + query, null), MediaTypes.Vendor(3)));
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_end_and_count_what_came()
    {
        var (client, call) = await ProjectsCall();
        var pages = new List<RestPage>();
        using (var sequence = client.Pages(call, wanted: null, CancellationToken.None))
        {
            while (await sequence.NextAsync() is RestPage page)
            {
                pages.Add(page);
            }
        }

        Assert.Equal(new[] { 10, 10, 5 }, pages.Select(p => p.Items));
        Assert.Equal(new long[] { 10, 20, 25 }, pages.Select(p => p.Received));
        Assert.Equal(new[] { false, false, true }, pages.Select(p => p.IsLast));
        Assert.Equal(25, pages[^1].Total);
        Assert.Equal(3, h.Server.PageRequests);
    }

    [Fact]
    public async Task The_next_page_is_asked_for_before_the_caller_asks_for_it()
    {
        var (client, call) = await ProjectsCall();
        using var sequence = client.Pages(call, wanted: null, CancellationToken.None);
        var first = await sequence.NextAsync();
        Assert.NotNull(first);

        // The caller is still "writing" page 1: the server gets the request for page 2 meanwhile.
        Assert.True(SpinWait.SpinUntil(() => h.Server.PageRequests == 2, TimeSpan.FromSeconds(10)), $"page requests: {h.Server.PageRequests}");
        Assert.Equal(10, (await sequence.NextAsync())!.Items);
    }

    [Fact]
    public async Task No_page_is_asked_for_beyond_the_items_the_caller_writes()
    {
        var (client, call) = await ProjectsCall();
        using (var sequence = client.Pages(call, wanted: 10, CancellationToken.None))
        {
            Assert.Equal(10, (await sequence.NextAsync())!.Items);
            Assert.Null(await sequence.NextAsync());
        }

        Assert.Equal(1, h.Server.PageRequests);
    }

    [Fact]
    public async Task Offset_paging_stops_at_the_total()
    {
        var (client, call) = await ProjectsCall("pageSize=10&pageOffset=0");
        var items = 0;
        using (var sequence = client.Pages(call, wanted: null, CancellationToken.None))
        {
            while (await sequence.NextAsync() is RestPage page)
            {
                items += page.Items;
            }
        }

        Assert.Equal(25, items);
        Assert.Equal(3, h.Server.PageRequests);
    }

    [Fact]
    public async Task The_token_goes_to_its_own_server_only_even_when_a_call_names_another()
    {
        var client = await h.Session.ConnectAsync(Credentials, CancellationToken.None);
        var before = h.Server.ApiRequests;
        var elsewhere = ServerAddress.Parse(h.Server.Url.Replace("127.0.0.1", "localhost"));
        var call = new RestCall("GET", RestTarget.Build(elsewhere, "projects", null), MediaTypes.Vendor(3));

        var error = await Assert.ThrowsAsync<IcaException>(() => client.SendAsync(call, CancellationToken.None));

        Assert.Equal(ErrorIds.ForeignHost, error.ErrorId);
        Assert.Equal(IcaErrorKind.SecurityError, error.Kind);
        Assert.Equal(before, h.Server.ApiRequests);
    }
}
