using System.Collections;
using System.Collections.Specialized;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Tests.Rest;

/// <summary>
/// The request model's checks and the engine's JSON body, with plain .NET values only, so these
/// run the same on .NET 8/10 and on the .NET Framework (net472, Mono): the same bytes on both
/// is what makes Windows PowerShell 5.1 send what PowerShell 7 sends.
/// </summary>
public sealed class RequestModelTests
{
    private static readonly ServerAddress Server = ServerAddress.Parse("ica.illumina.com");

    [Fact]
    public void A_body_is_the_same_JSON_bytes_whatever_the_runtime_with_ISO_8601_dates()
    {
        var body = new OrderedDictionary
        {
            ["name"] = "tumor \"A\"\n\u0001",
            ["created"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["at"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            ["count"] = 3,
            ["ratio"] = 0.1,
            ["big"] = 12345678901234L,
            ["ok"] = true,
            ["none"] = null,
            ["kind"] = DayOfWeek.Monday,
            ["tags"] = new object[] { "a", 1, new OrderedDictionary { ["x"] = 2 } },
            ["empty"] = new ArrayList(),
        };

        var json = Encoding.UTF8.GetString(JsonBody.Serialize(body));

        Assert.Equal(
            "{\"name\":\"tumor \\\"A\\\"\\n\\u0001\",\"created\":\"2026-01-02T03:04:05.0000000Z\",\"at\":\"2026-01-02T03:04:05.0000000+02:00\",\"count\":3,\"ratio\":0.1,\"big\":12345678901234,\"ok\":true,\"none\":null,\"kind\":\"Monday\",\"tags\":[\"a\",1,{\"x\":2}],\"empty\":[]}",
            json);
    }

    [Fact]
    public void A_body_in_a_loop_is_refused_with_an_id_not_a_stack_overflow()
    {
        var loop = new Hashtable();
        loop["self"] = loop;
        var error = Assert.Throws<IcaException>(() => JsonBody.Serialize(loop));
        Assert.Equal(ErrorIds.UnsupportedBody, error.ErrorId);
        Assert.Equal("Body", error.Target);
    }

    [Theory]
    [InlineData("x\r\nDELETE /ica/rest/api/projects/p1 HTTP/1.1")]
    [InlineData("x\n")]
    [InlineData("x\0")]
    public void A_header_value_that_could_end_the_line_is_refused(string value)
    {
        var error = Assert.Throws<IcaException>(() => RequestHeaders.From(new Hashtable { ["X-Note"] = value }));
        Assert.Equal(ErrorIds.InvalidHeader, error.ErrorId);
        Assert.Equal("Headers", error.Target);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Theory]
    [InlineData("", "IcaInvalidHeader")]
    [InlineData("X A", "IcaInvalidHeader")]
    [InlineData("X:A", "IcaInvalidHeader")]
    [InlineData("Authorization", "IcaHeaderNotAllowed")]
    [InlineData("content-length", "IcaHeaderNotAllowed")]
    public void A_bad_or_owned_header_name_is_a_named_error(string name, string id)
    {
        Assert.Equal(id, Assert.Throws<IcaException>(() => RequestHeaders.From(new Hashtable { [name] = "v" })).ErrorId);
    }

    [Fact]
    public void Ordinary_headers_pass_as_they_are()
    {
        var headers = RequestHeaders.From(new Hashtable { ["If-Match"] = "\"p1-v1\"", ["X-Tags"] = new[] { "a", "b" } })!;
        Assert.Equal("\"p1-v1\"", headers["if-match"]);
        Assert.Equal("a, b", headers["X-Tags"]);
    }

    [Theory]
    [InlineData("projects/../../admin/x")]
    [InlineData("projects/%2E%2E/admin")]
    [InlineData("projects/./p1")]
    [InlineData("projects//analyses")]
    [InlineData("projects/")]
    [InlineData("projects/{projectId}/analyses")]
    [InlineData("projects/%7BprojectId%7D")]
    public void A_path_that_is_not_what_the_user_meant_is_refused_before_anything_is_sent(string path)
    {
        var error = Assert.Throws<IcaException>(() => RestTarget.Check(path));
        Assert.Equal(ErrorIds.InvalidPath, error.ErrorId);
        Assert.Equal("Path", error.Target);
        Assert.Contains(path, error.Message);
        Assert.Equal(ErrorIds.InvalidPath, Assert.Throws<IcaException>(() => RestTarget.Build(Server, path, null)).ErrorId);
    }

    [Fact]
    public void Verbose_shows_the_query_with_secret_looking_values_cut()
    {
        var target = RestTarget.Build(Server, "projects", new OrderedDictionary { ["search"] = "tumor", ["apiKey"] = "abc123", ["pageToken"] = "cursor1", ["X-Signature"] = "s" });
        Assert.Equal("https://ica.illumina.com/ica/rest/api/projects?search=tumor&apiKey=***&pageToken=cursor1&X-Signature=***", target.ShownUrl);
    }

    [Fact]
    public void Paging_ends_with_an_error_on_a_repeated_cursor_or_an_empty_page_with_one()
    {
        var repeated = new PagingState(RestTarget.Build(Server, "projects", null));
        repeated.Advance(1, "c1", null, null);
        Assert.Equal(ErrorIds.PagingLoop, Assert.Throws<IcaException>(() => repeated.Advance(1, "c1", null, null)).ErrorId);

        var empty = new PagingState(RestTarget.Build(Server, "projects", null));
        Assert.Equal(ErrorIds.PagingLoop, Assert.Throws<IcaException>(() => empty.Advance(0, "c2", null, null)).ErrorId);
    }

    [Fact]
    public void Everything_written_has_known_secrets_and_JWTs_cut_and_control_characters_escaped()
    {
        var registry = new SecretRegistry();
        registry.Add("fake-ica-key-0123456789ABCDEF");
        var line = registry.Clean("403 Denied FAKE-ICA-KEY-0123456789abcdef eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig \u001b]0;pwned\u0007");
        Assert.DoesNotContain("0123456789", line);
        Assert.DoesNotContain("eyJ", line);
        Assert.DoesNotContain(line, c => c == (char)0x1b);
        Assert.Contains("\\u001b", line);
    }
}
