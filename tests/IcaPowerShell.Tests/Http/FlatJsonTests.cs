using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Tests.Http;

public sealed class FlatJsonTests
{
    [Fact]
    public void Top_level_scalars_are_read_and_nested_values_skipped()
    {
        var members = FlatJson.TryParseObject("{\"token\":\"a\\/b\\u0041\",\"aud\":[\"ica\",{\"x\":[1]}],\"exp\":1700000000,\"ok\":true}")!;
        Assert.Equal("a/bA", members["token"]);
        Assert.Equal("1700000000", members["exp"]);
        Assert.Equal("true", members["ok"]);
        Assert.False(members.ContainsKey("aud"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{\"token\": \"eyJhbGciOi")]
    [InlineData("[\"token\"]")]
    [InlineData("{\"a\": 1} {\"b\": 2}")]
    public void Anything_but_one_JSON_object_is_refused(string text) => Assert.Null(FlatJson.TryParseObject(text));

    [Fact]
    public void A_hostile_answer_nested_thirty_thousand_deep_is_handled_without_recursion()
    {
        var text = "{\"a\":" + new string('[', 30_000) + new string(']', 30_000) + ",\"token\":\"t\"}";
        Assert.Equal("t", FlatJson.TryParseObject(text)!["token"]);
    }

    [Fact]
    public void JWT_claims_are_read_from_the_payload()
    {
        static string Segment(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var jwt = $"{Segment("{\"alg\":\"HS256\"}")}.{Segment("{\"exp\":1800000000,\"iat\":1799996400,\"sub\":\"u\",\"tns\":\"lab\",\"aud\":[\"ica\"]}")}.sig";
        var claims = JwtClaims.TryParse(jwt)!;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1800000000), claims.ExpiresOn);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1799996400), claims.IssuedAt);
        Assert.Equal("lab", claims.Tenant);
        Assert.Null(JwtClaims.TryParse("a.b"));
        Assert.Null(JwtClaims.TryParse($"{Segment("{}")}.{Segment("{\"sub\":\"no exp\"}")}.sig"));
    }
}
