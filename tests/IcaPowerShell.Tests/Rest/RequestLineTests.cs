using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Tests.Rest;

public sealed class RequestLineTests
{
    [Theory]
    [InlineData("Get", "projects", "GET", "projects")]
    [InlineData("post", "projects", "POST", "projects")]
    [InlineData(null, "projects", "GET", "projects")]
    [InlineData("projects", null, "GET", "projects")]
    [InlineData("projects/p1/data", "", "GET", "projects/p1/data")]
    public void Method_and_path_come_from_either_form(string? method, string? path, string expectedMethod, string expectedPath)
    {
        var line = RequestLine.From(method, path);
        Assert.Equal(expectedMethod, line.Method);
        Assert.Equal(expectedPath, line.Path);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Get", null)]
    [InlineData("delete", " ")]
    public void No_path_is_IcaPathRequired_naming_Path(string? method, string? path)
    {
        var error = Assert.Throws<IcaException>(() => RequestLine.From(method, path));
        Assert.Equal(ErrorIds.PathRequired, error.ErrorId);
        Assert.Equal("Path", error.Target);
    }

    [Fact]
    public void A_method_that_is_not_one_is_IcaInvalidMethod_naming_Method()
    {
        var error = Assert.Throws<IcaException>(() => RequestLine.From("Fetch", "projects"));
        Assert.Equal(ErrorIds.InvalidMethod, error.ErrorId);
        Assert.Equal("Method", error.Target);
        Assert.Contains("Get, Post, Put, Delete, Patch", error.Message);
    }
}
