using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Tests.Http;

public sealed class FlatJsonTests
{
    private const string Inserts = "{}[]\",:0-e. \\u";

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

    [Theory]
    [InlineData("{\"a\": 01}")]
    [InlineData("{\"a\": 1.}")]
    [InlineData("{\"a\": tru}")]
    [InlineData("{\"a\": \"x\\q\"}")]
    [InlineData("{\"a\": [1, 2}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{a: 1}")]
    [InlineData("{\"a\": \"tab\there\"}")]
    public void Malformed_JSON_is_refused(string text) => Assert.Null(FlatJson.TryParseObject(text));

    [Theory]
    [InlineData("{\"items\":[],\"nextPageToken\":null}", 0)]
    [InlineData("{\"items\":[ ]}", 0)]
    [InlineData("{\"items\":[1,2,3]}", 3)]
    [InlineData("{\"items\":[{\"a\":[1,2]},{\"b\":\"x,y]\"},\"]\", null]}", 4)]
    public void A_pages_items_are_counted_without_reading_them(string text, int items)
    {
        var arrays = new Dictionary<string, int>();
        Assert.NotNull(FlatJson.TryParseObject(text, arrays));
        Assert.Equal(items, arrays["items"]);
        Assert.Equal(items, FlatJson.TryCountArray(text.Substring(text.IndexOf('['), text.LastIndexOf(']') - text.IndexOf('[') + 1)));
    }

    [Theory]
    [InlineData("{\"nextPageToken\":null,\"title\":null}")]
    public void A_null_member_is_as_if_absent(string text) => Assert.Empty(FlatJson.TryParseObject(text)!);

    /// <summary>Differential fuzzing: wherever System.Text.Json reads an object, the scalars read here match.</summary>
    [Fact]
    public void Ten_thousand_mutations_agree_with_System_Text_Json_and_never_throw()
    {
        var random = new Random(8259);
        var seeds = new[]
        {
            "{\"token\":\"eyJ.a-b_c\",\"n\":-1.5e+3,\"ok\":true,\"no\":null,\"aud\":[\"ica\",{\"x\":[1,{}]}],\"s\":\"\\u00e9\\n\\\"q\\\"\"}",
            "{\"items\":[{\"id\":\"p1\",\"tags\":[\"a,b\"]},[],\"x\"],\"nextPageToken\":\"c2\",\"totalItemCount\":3}",
            "{\"id\":\"0b1\",\"type\":\"about:blank\",\"title\":\"ICA_API_004\",\"status\":400,\"detail\":\"Invalid Accept Header\",\"parameters\":{}}",
        };
        var agreed = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var chars = seeds[random.Next(seeds.Length)].ToCharArray().ToList();
            for (var m = random.Next(4); m > 0; m--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, Inserts[random.Next(Inserts.Length)]); break;
                    default: chars[at] = (char)random.Next(32, 127); break;
                }
            }

            var text = new string(chars.ToArray());
            var arrays = new Dictionary<string, int>();
            var ours = FlatJson.TryParseObject(text, arrays);
            Dictionary<string, string>? theirs;
            Dictionary<string, int>? theirArrays = null;
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(text);
                theirs = document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object ? null : document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array))
                    .GroupBy(p => p.Name).Select(g => g.Last()).Where(p => p.Value.ValueKind != System.Text.Json.JsonValueKind.Null)   // null: as if absent
                    .ToDictionary(p => p.Name, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
                theirArrays = theirs == null ? null : document.RootElement.EnumerateObject().GroupBy(p => p.Name).Select(g => g.Last())
                    .Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array).ToDictionary(p => p.Name, p => p.Value.GetArrayLength());
            }
            catch (System.Text.Json.JsonException)
            {
                theirs = null;
            }

            if (theirs != null)
            {
                Assert.True(ours != null, $"refused valid JSON: {text}");
                Assert.Equal(theirs.OrderBy(p => p.Key), ours!.OrderBy(p => p.Key));
                Assert.All(theirArrays!, array => Assert.Equal(array.Value, arrays[array.Key]));
                agreed++;
            }
        }

        Assert.True(agreed > 1000, $"only {agreed} valid mutations: the comparison is too thin");
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
