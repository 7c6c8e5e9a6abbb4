using System.Text;
using IcaPowerShell.Core.Http;

namespace IcaPowerShell.Tests.Http;

/// <summary>Every form in which a secret can come back is cut: whole, shortened, other case, encoded.</summary>
public sealed class RedactionTests
{
    private const string Key = "sec-key-0123456789abcdef-XYZ";

    [Theory]
    [InlineData("key " + Key + " rejected")]
    [InlineData("key SEC-KEY-0123456789ABCDEF-xyz rejected")]
    [InlineData("key 0123456789abc rejected")]
    [InlineData("url sec-key-0123456789abcdef-XYZ%20 rejected")]
    public void The_key_is_cut_in_any_case_and_any_part_of_8_or_more(string echoed)
    {
        var shown = Redaction.Of(Key).Apply(echoed);
        Assert.Contains("***", shown);
        Assert.DoesNotContain("0123456789", shown, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_base64_of_a_Basic_pair_is_cut_whole_and_in_part()
    {
        var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes("me@example.org:fake-pass-secret"));
        var redaction = Redaction.OfBasic("me@example.org", "fake-pass-secret");
        Assert.DoesNotContain(pair.Substring(0, 12), redaction.Apply("Authorization: Basic " + pair));
        Assert.DoesNotContain(pair.Substring(4, 16), redaction.Apply("echo " + pair.Substring(4, 16) + "..."));
        Assert.DoesNotContain("fake-pass", redaction.Apply("password fake-pass-secret was wrong"));
    }

    [Fact]
    public void Each_part_of_a_jwt_is_cut()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz";
        var shown = Redaction.Of(jwt).Apply("signature c2lnbmF0dXJlLWJ5dGVz and payload eyJzdWIiOiJ1c2VyLTEifQ");
        Assert.DoesNotContain("c2lnbmF0dXJl", shown);
        Assert.DoesNotContain("eyJzdWIi", shown);
    }

    [Fact]
    public void Ordinary_text_is_left_alone() =>
        Assert.Equal("ICA said 401 ICA_AUTH_001: The API key is not valid.", Redaction.Of(Key).Apply("ICA said 401 ICA_AUTH_001: The API key is not valid."));
}
