using System.Collections;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Tests.Rest;

public sealed class PagingStateTests
{
    private static RestTarget Target(IDictionary? query = null) => RestTarget.Build(ServerAddress.Default, "projects", query);

    [Fact]
    public void Cursor_paging_follows_nextPageToken_until_it_is_empty()
    {
        var paging = new PagingState(Target());
        paging.Advance(10, "c1", null, 15);
        Assert.Equal("c1", paging.Next!.Query("pageToken"));
        Assert.Equal(25, paging.Total);
        paging.Advance(10, "c2", null, 5);
        Assert.Equal("c2", paging.Next!.Query("pageToken"));
        paging.Advance(5, string.Empty, null, 0);
        Assert.Null(paging.Next);
        Assert.Equal(25, paging.Received);
    }

    [Fact]
    public void Offset_paging_is_used_when_the_caller_passes_pageOffset_or_sort()
    {
        var paging = new PagingState(Target(new Hashtable { ["sort"] = "name", ["pageSize"] = 10 }));
        paging.Advance(10, string.Empty, 25, null);
        Assert.Equal("10", paging.Next!.Query("pageOffset"));
        paging.Advance(10, string.Empty, 25, null);
        Assert.Equal("20", paging.Next!.Query("pageOffset"));
        paging.Advance(5, string.Empty, 25, null);
        Assert.Null(paging.Next);
        Assert.Equal(25, paging.Total);
    }

    [Fact]
    public void An_empty_offset_page_ends_the_paging_even_without_a_total()
    {
        var paging = new PagingState(Target(new Hashtable { ["pageOffset"] = 0 }));
        paging.Advance(0, string.Empty, null, null);
        Assert.Null(paging.Next);
    }
}
