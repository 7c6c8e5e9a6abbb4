using System.Collections;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Tests.Rest;

public sealed class RestTargetTests
{
    private static readonly ServerAddress Server = ServerAddress.Parse("ica.illumina.com");

    [Theory]
    [InlineData("projects")]
    [InlineData("/projects")]
    [InlineData("api/projects")]
    [InlineData("/api/projects")]
    [InlineData("/ica/rest/api/projects")]
    [InlineData("https://ica.illumina.com/ica/rest/api/projects")]
    public void Every_way_of_writing_a_path_means_the_same(string path)
    {
        var target = RestTarget.Build(Server, path, null);
        Assert.Equal("https://ica.illumina.com/ica/rest/api/projects", target.Uri.AbsoluteUri);
        Assert.Equal("/api/projects", target.Display);
    }

    [Fact]
    public void Segments_are_escaped_and_query_values_encoded()
    {
        var target = RestTarget.Build(Server, "projects/a b/data", new Hashtable { ["search"] = "x&y=z", ["tags"] = new[] { "t 1", "t2" }, ["hidden"] = true });
        Assert.Equal("/ica/rest/api/projects/a%20b/data", target.Uri.AbsolutePath);
        Assert.Contains("search=x%26y%3Dz", target.Uri.Query);
        Assert.Contains("tags=t%201&tags=t2", target.Uri.Query);
        Assert.Contains("hidden=true", target.Uri.Query);
        Assert.Equal(new[] { "api", "projects", "a b", "data" }, target.ApiSegments);
    }

    [Fact]
    public void An_already_escaped_segment_is_not_escaped_twice()
    {
        Assert.Equal("/ica/rest/api/projects/a%20b", RestTarget.Build(Server, "projects/a%20b", null).Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("https://evil.example.org/ica/rest/api/projects")]
    [InlineData("https://ica.illumina.com:8443/ica/rest/api/projects")]
    [InlineData("http://ica.illumina.com/ica/rest/api/projects")]
    public void A_token_is_never_sent_to_another_host(string url)
    {
        var error = Assert.Throws<IcaException>(() => RestTarget.Build(Server, url, null));
        Assert.Equal("IcaForeignHost", error.ErrorId);
        Assert.Equal(IcaErrorKind.SecurityError, error.Kind);
    }

    [Fact]
    public void Paging_replaces_only_its_own_query_parameter()
    {
        var target = RestTarget.Build(Server, "projects?search=tumor", new Hashtable { ["pageSize"] = 50 });
        var next = target.WithQuery("pageToken", "abc=").WithQuery("pageToken", "def");
        Assert.Equal("def", next.Query("pageToken"));
        Assert.Equal("tumor", next.Query("search"));
        Assert.Equal("50", next.Query("pageSize"));
    }
}
