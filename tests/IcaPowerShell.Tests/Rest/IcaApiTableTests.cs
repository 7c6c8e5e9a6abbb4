using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Tests.Rest;

/// <summary>The table compiled from ICA's OpenAPI document, and the media types chosen from it.</summary>
public sealed class IcaApiTableTests
{
    private static ApiOperation? Find(string method, string path) =>
        IcaApiTable.Find(method, RestTarget.Build(ServerAddress.Default, path, null).ApiSegments);

    [Fact]
    public void It_holds_every_operation_of_the_document()
    {
        // 260 paths: 150 GET, 127 POST, 16 PUT, 14 DELETE (../shared/ica/README.md).
        Assert.Equal(307, IcaApiTable.Count);
    }

    [Theory]
    [InlineData("GET", "projects", "application/vnd.illumina.v3+json")]
    [InlineData("GET", "dockerImages", "application/vnd.illumina.v4+json")]
    [InlineData("GET", "pipelines/p1/files/f1/content", "application/octet-stream")]
    [InlineData("GET", "pipelines/p1", "application/vnd.illumina.v3+json")]
    [InlineData("GET", "not/a/real/path", "application/vnd.illumina.v3+json")]
    public void Accept_is_the_oldest_version_the_operation_declares(string method, string path, string accept) =>
        Assert.Equal(accept, MediaTypes.Accept(Find(method, path), null));

    [Fact]
    public void ApiVersion_chooses_another_version()
    {
        Assert.Equal("application/vnd.illumina.v4+json", MediaTypes.Accept(Find("GET", "pipelines/p1"), 4));
        Assert.Equal(MediaKinds.V3 | MediaKinds.V4, Find("GET", "pipelines/p1")!.Answers);
    }

    [Fact]
    public void A_literal_segment_beats_a_parameter()
    {
        Assert.Equal("/api/projects/{projectId}/data", Find("GET", "projects/p1/data")!.Template);
        Assert.Equal("/api/projects/{projectId}", Find("GET", "projects/p1")!.Template);
    }

    [Fact]
    public void The_request_body_type_is_the_declared_one()
    {
        Assert.Equal("application/vnd.illumina.v3+json", MediaTypes.ContentType(Find("POST", "projects"), null));
    }

    [Fact]
    public void Completion_lists_paths_and_their_methods()
    {
        Assert.Contains("projects/{projectId}", IcaApiTable.Templates("projects/"));
        Assert.Equal(new[] { "GET", "PUT" }, IcaApiTable.Methods("projects/{projectId}").OrderBy(m => m));
    }
}
