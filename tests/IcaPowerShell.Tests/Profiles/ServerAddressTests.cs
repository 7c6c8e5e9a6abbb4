using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Tests.Profiles;

public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("ica.illumina.com", "ica.illumina.com", "https://ica.illumina.com/ica/rest/api/tokens")]
    [InlineData("https://ICA.illumina.com/", "ica.illumina.com", "https://ica.illumina.com/ica/rest/api/tokens")]
    [InlineData("https://ica.illumina.com/ica/rest", "ica.illumina.com", "https://ica.illumina.com/ica/rest/api/tokens")]
    [InlineData("ica.example.org:8443", "https://ica.example.org:8443", "https://ica.example.org:8443/ica/rest/api/tokens")]
    [InlineData("http://127.0.0.1:5099", "http://127.0.0.1:5099", "http://127.0.0.1:5099/ica/rest/api/tokens")]
    [InlineData("http://localhost:5099", "http://localhost:5099", "http://localhost:5099/ica/rest/api/tokens")]
    public void Host_names_and_URLs_normalise(string input, string display, string tokens)
    {
        var address = ServerAddress.Parse(input);
        Assert.Equal(display, address.Display);
        Assert.Equal(tokens, address.TokensUri.AbsoluteUri);
    }

    [Fact]
    public void The_refresh_endpoint_keeps_its_colon()
    {
        Assert.Equal("https://ica.illumina.com/ica/rest/api/tokens:refresh", ServerAddress.Default.RefreshUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://ica.illumina.com", "IcaInsecureServer")]
    [InlineData("http://10.0.0.5", "IcaInsecureServer")]
    [InlineData("ftp://ica.illumina.com", "IcaInvalidServerUrl")]
    [InlineData("https://ica.illumina.com/other/path", "IcaInvalidServerUrl")]
    [InlineData("https://user:pw@ica.illumina.com", "IcaInvalidServerUrl")]
    [InlineData("https://ica.illumina.com/?q=1", "IcaInvalidServerUrl")]
    [InlineData("", "IcaInvalidServerUrl")]
    [InlineData("not a host", "IcaInvalidServerUrl")]
    [InlineData("127.0.0.1:5099", "IcaInvalidServerUrl")]
    [InlineData("localhost:5099", "IcaInvalidServerUrl")]
    public void Unsafe_or_malformed_servers_are_refused_naming_the_parameter(string input, string errorId)
    {
        var error = Assert.Throws<IcaException>(() => ServerAddress.Parse(input));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal("ServerUrl", error.Target);
        Assert.Contains("ServerUrl", error.Message);
    }
}
