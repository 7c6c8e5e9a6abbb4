using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FakeIca;

/// <summary>
/// The part of ICA's API that Invoke-IcaRestMethod's tests need, as the OpenAPI document
/// describes it: projects with cursor and offset paging, ETag and If-Match, a v4-only endpoint,
/// a file download, and problem+json errors. Every call needs a bearer token this server minted,
/// still valid and not revoked.
/// </summary>
public sealed class FakeApi
{
    private const string V3 = "application/vnd.illumina.v3+json";
    private const string V4 = "application/vnd.illumina.v4+json";
    private readonly FakeIcaServer server;
    private readonly ConcurrentDictionary<string, JsonObject> projects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> revoked = new(StringComparer.Ordinal);

    public FakeApi(FakeIcaServer server)
    {
        this.server = server;
        Reset(25);
    }

    /// <summary>Every token refused from now on, even new ones: the second 401 a client must give up on.</summary>
    public bool RefuseAllTokens { get; set; }

    /// <summary>The size of the file the content endpoint serves.</summary>
    public int FileBytes { get; set; } = 1024 * 1024;

    /// <summary>How long each page of the project list takes, as a real server's query does: for the paging benchmark.</summary>
    public TimeSpan PageDelay { get; set; }

    /// <summary>A pause after each 64 KB of a file's content: a slow download, for -OutFile's progress.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>What the last API request carried (no credential values): method, path and query, Accept, Content-Type, whether a bearer came.</summary>
    public IReadOnlyDictionary<string, string> LastRequest { get; private set; } = new Dictionary<string, string>();

    public void Reset(int count)
    {
        projects.Clear();
        for (var i = 1; i <= count; i++)
        {
            var id = $"p{i:D5}";
            projects[id] = new JsonObject { ["id"] = id, ["name"] = $"project-{i:D5}", ["shortDescription"] = string.Empty, ["version"] = 1 };
        }

        revoked.Clear();
        RefuseAllTokens = false;
        PageDelay = ChunkDelay = TimeSpan.Zero;
    }

    /// <summary>Every token minted so far is refused from now on; new ones work.</summary>
    public void RevokeIssuedTokens()
    {
        foreach (var jwt in server.IssuedTokens)
        {
            revoked[jwt] = true;
        }
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var request = context.Request;
        LastRequest = new Dictionary<string, string>
        {
            ["method"] = request.Method,
            ["path"] = path + request.QueryString,
            ["raw"] = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? string.Empty,
            ["accept"] = request.Headers.Accept.ToString(),
            ["contentType"] = request.ContentType ?? string.Empty,
            ["cookie"] = request.Headers.Cookie.ToString(),
            ["query"] = request.QueryString.Value ?? string.Empty,
            ["contentLength"] = request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (request.Headers.TransferEncoding.Count > 0 ? "chunked" : string.Empty),
            ["bearer"] = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? "yes" : "no",
        };
        var jwt = request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : string.Empty;
        if (RefuseAllTokens || revoked.ContainsKey(jwt) || !server.Accepts(jwt))
        {
            await Problem(context, 401, "ICA_AUTH_006", "The JWT is not valid, has expired or was revoked");
            return;
        }

        var segments = path.Trim('/').Split('/');
        switch (request.Method, segments)
        {
            case ("GET", ["projects"]):
                await ListProjects(context);
                return;
            case ("POST", ["projects"]):
                await CreateProject(context);
                return;
            case ("GET", ["projects", "forbidden"]):
                await Problem(context, 403, "ICA_AUTH_403", "You are not allowed to see this project");
                return;
            case ("GET", ["projects", var id]):
                await GetProject(context, id);
                return;
            case ("PUT", ["projects", var id]):
                await UpdateProject(context, id);
                return;
            case ("DELETE", ["projects", var id]):
                context.Response.StatusCode = projects.TryRemove(id, out _) ? 204 : 404;
                return;
            case ("GET", ["dockerImages"]):
                if (!await Accepts(context, V4))
                {
                    return;
                }

                await Json(context, 200, V4, new JsonObject { ["items"] = new JsonArray(new JsonObject { ["name"] = "ubuntu", ["version"] = "22.04" }) });
                return;
            case ("GET", ["pipelines", _, "files", _, "content"]):
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = FileBytes;
                var chunk = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i % 251)).ToArray();
                for (var sent = 0; sent < FileBytes; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, FileBytes - sent)));
                    if (ChunkDelay > TimeSpan.Zero)
                    {
                        await context.Response.Body.FlushAsync();
                        await Task.Delay(ChunkDelay, context.RequestAborted);
                    }
                }

                return;
            case ("GET", ["hostile", var what]):
                await HostileAsync(context, what);
                return;
            default:
                await Problem(context, 404, "ICA_API_001", $"No such endpoint: {request.Method} /api/{path.Trim('/')}");
                return;
        }
    }

    private async Task ListProjects(HttpContext context)
    {
        if (!await Accepts(context, V3))
        {
            return;
        }

        var query = context.Request.Query;
        var size = int.TryParse(query["pageSize"], out var s) && s > 0 ? s : 10;
        // ICA's search matches a part of the name, in any case.
        var search = query["search"].ToString();
        var all = projects.Values
            .Where(p => search.Length == 0 || p["name"]!.GetValue<string>().Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p["id"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        var offsetMode = query.ContainsKey("pageOffset") || query.ContainsKey("sort");
        var start = offsetMode
            ? (int.TryParse(query["pageOffset"], out var o) ? o : 0)
            : (query["pageToken"].ToString() is { Length: > 0 } token ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), System.Globalization.CultureInfo.InvariantCulture) : 0);
        var page = all.Skip(start).Take(size).Select(p => (JsonNode)p.DeepClone()).ToArray();
        var end = start + page.Length;
        var body = new JsonObject { ["items"] = new JsonArray(page) };
        if (offsetMode)
        {
            body["nextPageToken"] = string.Empty;
            body["totalItemCount"] = all.Count;
        }
        else
        {
            body["nextPageToken"] = end < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(end.ToString(System.Globalization.CultureInfo.InvariantCulture))) : string.Empty;
            body["remainingRecords"] = all.Count - end;
        }

        Interlocked.Increment(ref server.PageRequestsField);
        if (PageDelay > TimeSpan.Zero)
        {
            await Task.Delay(PageDelay, context.RequestAborted);
        }

        await Json(context, 200, V3, body);
    }

    private async Task GetProject(HttpContext context, string id)
    {
        if (!await Accepts(context, V3))
        {
            return;
        }

        if (!projects.TryGetValue(id, out var project))
        {
            await Problem(context, 404, "ICA_PROJ_404", $"Project {id} does not exist");
            return;
        }

        context.Response.Headers.ETag = ETag(project);
        await Json(context, 200, V3, project);
    }

    private async Task UpdateProject(HttpContext context, string id)
    {
        if (!projects.TryGetValue(id, out var project))
        {
            await Problem(context, 404, "ICA_PROJ_404", $"Project {id} does not exist");
            return;
        }

        if (context.Request.ContentType != V3)
        {
            await Problem(context, 415, "ICA_API_005", "Unsupported Content-Type");
            return;
        }

        if (context.Request.Headers.IfMatch.ToString() != ETag(project))
        {
            await Problem(context, 409, "ICA_GEN_409", "The project was changed by someone else; get it again");
            return;
        }

        var changes = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        project["shortDescription"] = changes?["shortDescription"]?.GetValue<string>() ?? string.Empty;
        project["version"] = project["version"]!.GetValue<int>() + 1;
        context.Response.Headers.ETag = ETag(project);
        await Json(context, 200, V3, project);
    }

    private async Task CreateProject(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        var name = body?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            await Problem(context, 422, "ICA_VAL_001", "The request is not valid", new Dictionary<string, string> { ["name"] = "must not be empty" });
            return;
        }

        if (projects.Values.Any(p => p["name"]!.GetValue<string>() == name))
        {
            await Problem(context, 409, "ICA_PROJ_409", $"A project named {name} exists");
            return;
        }

        var id = $"n{projects.Count + 1:D5}";
        var project = new JsonObject { ["id"] = id, ["name"] = name, ["shortDescription"] = body?["shortDescription"]?.GetValue<string>() ?? string.Empty, ["version"] = 1 };
        projects[id] = project;
        await Json(context, 201, V3, project);
    }

    /// <summary>
    /// Answers no real ICA gives, for the hardening tests: pages that never end, answers that are
    /// not pages, a big body, and a download that stalls after its first bytes.
    /// </summary>
    private static async Task HostileAsync(HttpContext context, string what)
    {
        var query = context.Request.Query;
        switch (what)
        {
            case "repeat-cursor":
                // The same cursor every time, with one item: a client that trusts it never ends.
                await Json(context, 200, V3, new JsonObject { ["items"] = new JsonArray(new JsonObject { ["id"] = "same" }), ["nextPageToken"] = "c2FtZQ" });
                return;
            case "empty-cursor":
                // No items, yet always a new cursor.
                await Json(context, 200, V3, new JsonObject { ["items"] = new JsonArray(), ["nextPageToken"] = Guid.NewGuid().ToString("N") });
                return;
            case "array":
                await Raw(context, "[1,2]");
                return;
            case "nested-array":
                await Raw(context, "[[1,2],[3]]");
                return;
            case "empty-array":
                await Raw(context, "[]");
                return;
            case "null":
                await Raw(context, "null");
                return;
            case "big":
                // A JSON string of the asked size (bytes), sent in chunks without a length.
                var size = int.TryParse(query["bytes"], out var b) ? b : 1024;
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("\"");
                var chunk = new string('x', 64 * 1024);
                for (var sent = 2; sent < size; sent += chunk.Length)
                {
                    await context.Response.WriteAsync(chunk[..Math.Min(chunk.Length, size - sent)]);
                }

                await context.Response.WriteAsync("\"");
                return;
            case "stall":
                // The headers and 64 KiB come at once; the rest never does.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = 1024 * 1024;
                await context.Response.Body.WriteAsync(new byte[64 * 1024]);
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            default:
                await Problem(context, 404, "ICA_API_001", "No such hostile endpoint");
                return;
        }
    }

    private static Task Raw(HttpContext context, string json)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    /// <summary>False, after answering 400 ICA_API_004 as ICA does, when the Accept header is not MEDIATYPE.</summary>
    private static async Task<bool> Accepts(HttpContext context, string mediaType)
    {
        if (context.Request.Headers.Accept.ToString().Contains(mediaType, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await Problem(context, 400, "ICA_API_004", "Invalid Accept Header");
        return false;
    }

    private static string ETag(JsonObject project) => $"\"{project["id"]}-v{project["version"]}\"";

    private static Task Json(HttpContext context, int status, string mediaType, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = mediaType;
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task Problem(HttpContext context, int status, string code, string detail, Dictionary<string, string>? parameters = null) =>
        FakeIcaServer.Problem(context, status, code, detail, parameters);
}
