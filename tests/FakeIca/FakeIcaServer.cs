using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FakeIca;

/// <summary>
/// ICA's token endpoints as the OpenAPI excerpt describes them, on Kestrel at 127.0.0.1 with a
/// free port. It counts what it is asked, and misbehaves on request: see <see cref="Enqueue"/>.
/// </summary>
public sealed class FakeIcaServer : IAsyncDisposable
{
    public const string IcaMediaType = "application/vnd.illumina.v3+json";
    private const string TokensPath = "/ica/rest/api/tokens";
    private const string RefreshPath = "/ica/rest/api/tokens:refresh";
    private const string ApiPrefix = "/ica/rest/api/";

    private readonly WebApplication app;
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentQueue<Fault> faults = new();
    private int tokenRequests;
    private int refreshRequests;
    private int proxiedRequests;
    private int apiRequests;
    private int proxyAuthorized;
    private int cookieRequests;

    internal int PageRequestsField;

    private FakeIcaServer(WebApplication app)
    {
        this.app = app;
        Api = new FakeApi(this);
    }

    /// <summary>The API beyond the token endpoints (projects, files, ...).</summary>
    public FakeApi Api { get; }

    /// <summary>List requests answered (pages), for the paging tests.</summary>
    public int PageRequests => Volatile.Read(ref PageRequestsField);

    /// <summary>True for a token this server signed that has not expired.</summary>
    internal bool Accepts(string jwt) =>
        jwt.Length > 0 && FakeJwt.Verify(signingKey, jwt) is JsonElement payload && payload.GetProperty("exp").GetInt64() > Clock().ToUnixTimeSeconds();

    /// <summary>A fresh random key per server, so every test run uses a secret no file has seen.</summary>
    public string ApiKey { get; } = "fake-ica-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string UserName { get; } = "scientist@example.org";

    public string Password { get; } = "fake-pass-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public string Tenant { get; set; } = "fake-tenant";

    /// <summary>Tokens minted from now on live this long.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The time written into iat and exp; tests that control the clock set it.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>A fault applied to every request while set (after the queued ones run out).</summary>
    public Fault? StandingFault { get; set; }

    /// <summary>http://127.0.0.1:port, without a trailing slash.</summary>
    public string Url { get; private set; } = string.Empty;

    public int TokenRequests => Volatile.Read(ref tokenRequests);

    public int RefreshRequests => Volatile.Read(ref refreshRequests);

    /// <summary>Requests that reached this server as a proxy (absolute-form, for another host).</summary>
    public int ProxiedRequests => Volatile.Read(ref proxiedRequests);

    /// <summary>When set, requests meant for another host (a proxy's work) need these Basic credentials, else 407.</summary>
    public (string User, string Password)? ProxyCredentials { get; set; }

    /// <summary>Proxy requests that came with the right Proxy-Authorization.</summary>
    public int ProxyAuthorized => Volatile.Read(ref proxyAuthorized);

    /// <summary>Requests that came with a Cookie header (a client must never send back what a server planted).</summary>
    public int CookieRequests => Volatile.Read(ref cookieRequests);

    /// <summary>When set, every answer carries a Set-Cookie.</summary>
    public bool SetCookie { get; set; }

    /// <summary>Requests for anything but the token endpoints and the control plane.</summary>
    public int ApiRequests => Volatile.Read(ref apiRequests);

    /// <summary>Counters to zero, no faults, default lifetime and tenant: a clean server for the next test.</summary>
    public void Reset()
    {
        faults.Clear();
        StandingFault = null;
        TokenLifetime = TimeSpan.FromHours(1);
        Tenant = "fake-tenant";
        Interlocked.Exchange(ref tokenRequests, 0);
        Interlocked.Exchange(ref refreshRequests, 0);
        Interlocked.Exchange(ref proxiedRequests, 0);
        Interlocked.Exchange(ref apiRequests, 0);
        Interlocked.Exchange(ref proxyAuthorized, 0);
        Interlocked.Exchange(ref cookieRequests, 0);
        SetCookie = false;
        Interlocked.Exchange(ref PageRequestsField, 0);
        ProxyCredentials = null;
        Api.Reset(25);
    }

    /// <summary>Every request's headers, for assertions on what the client sent.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Requests { get; } = new();

    /// <summary>Every JWT this server minted, for the tests' secret scans.</summary>
    public ConcurrentBag<string> IssuedTokens { get; } = new();

    public static async Task<FakeIcaServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeIcaServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("localhost", "127.0.0.1").TrimEnd('/');
        return server;
    }

    /// <summary>Makes the next requests fail, one fault each, in order.</summary>
    public void Enqueue(params Fault[] next)
    {
        foreach (var fault in next)
        {
            faults.Enqueue(fault);
        }
    }

    /// <summary>A token as this server mints it, for tests that need one without a request.</summary>
    public string MintToken(TimeSpan lifetime, string kind = "apikey") =>
        Remember(FakeJwt.Create(signingKey, Clock(), lifetime, "user-1", Tenant, kind));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(ControlPlane.Prefix.TrimEnd('/')))
        {
            await ControlPlane.HandleAsync(this, context);
            return;
        }

        Requests.Enqueue(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        if (request.Headers.ContainsKey("Cookie"))
        {
            Interlocked.Increment(ref cookieRequests);
        }

        if (SetCookie)
        {
            // A hostile or careless server: every answer tries to plant a cookie.
            context.Response.Headers.SetCookie = "ica-session=planted-" + Guid.NewGuid().ToString("N") + "; Path=/";
        }
        if (HttpMethods.IsConnect(request.Method) || (request.Host.Port is int hostPort && hostPort != context.Connection.LocalPort))
        {
            Interlocked.Increment(ref proxiedRequests);
            if (await ActAsProxyAsync(context))
            {
                return;
            }
        }

        var path = request.Path.Value ?? string.Empty;
        if (request.Method != "POST" || (path != TokensPath && path != RefreshPath))
        {
            Interlocked.Increment(ref apiRequests);
            if (path.StartsWith(ApiPrefix, StringComparison.Ordinal))
            {
                // Queued faults hit API calls too, so retries of every method can be tested.
                var apiFault = faults.TryDequeue(out var queuedForApi) ? queuedForApi : StandingFault;
                if (apiFault == null || !await ApplyFaultAsync(context, apiFault))
                {
                    await Api.HandleAsync(context, path[ApiPrefix.Length..]);
                }
            }
            else
            {
                await Problem(context, 404, "ICA_API_001", "Not found");
            }

            return;
        }

        Interlocked.Increment(ref path == TokensPath ? ref tokenRequests : ref refreshRequests);
        if (!request.Headers.Accept.ToString().Contains(IcaMediaType, StringComparison.OrdinalIgnoreCase))
        {
            await Problem(context, 400, "ICA_API_004", "Invalid Accept Header");
            return;
        }

        var fault = faults.TryDequeue(out var queued) ? queued : StandingFault;
        if (fault != null && await ApplyFaultAsync(context, fault))
        {
            return;
        }

        if (path == RefreshPath)
        {
            await RefreshAsync(context);
        }
        else
        {
            await CreateAsync(context);
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (request.Headers.TryGetValue("X-API-Key", out var key))
        {
            if (key.ToString() != ApiKey)
            {
                await Problem(context, 401, "ICA_AUTH_001", "The API key is not valid");
                return;
            }

            await WriteToken(context, MintToken(TokenLifetime, "apikey"));
            return;
        }

        if (authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
            var tenant = request.Query["tenant"].ToString();
            if (pair != UserName + ":" + Password || (tenant.Length > 0 && tenant != Tenant))
            {
                await Problem(context, 401, "ICA_AUTH_002", "Invalid credentials");
                return;
            }

            await WriteToken(context, MintToken(TokenLifetime, "basic"));
            return;
        }

        await Problem(context, 401, "ICA_AUTH_000", "No credentials");
    }

    private async Task RefreshAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var claims = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? FakeJwt.Verify(signingKey, authorization["Bearer ".Length..]) : null;
        if (claims is not JsonElement payload || payload.GetProperty("exp").GetInt64() <= Clock().ToUnixTimeSeconds())
        {
            await Problem(context, 401, "ICA_AUTH_003", "The JWT is not valid or has expired");
            return;
        }

        if (payload.GetProperty("ica_kind").GetString() == "apikey")
        {
            await Problem(context, 401, "ICA_AUTH_004", "A JWT created with an API key cannot be refreshed");
            return;
        }

        await WriteToken(context, MintToken(TokenLifetime, "basic"));
    }

    /// <summary>
    /// A proxy that wants credentials answers 407 without them; with them it cannot tunnel (this is
    /// no real proxy), so it says 502 after counting them. True when it answered.
    /// </summary>
    private async Task<bool> ActAsProxyAsync(HttpContext context)
    {
        if (ProxyCredentials is not (string user, string password))
        {
            return false;
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        if (context.Request.Headers["Proxy-Authorization"].ToString() != expected)
        {
            context.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"fake-proxy\"";
            await Write(context, 407, "text/plain", "Proxy Authentication Required");
            return true;
        }

        Interlocked.Increment(ref proxyAuthorized);
        await Write(context, 502, "text/plain", "fake proxy: tunnels are not supported");
        return true;
    }

    /// <summary>True when the fault answered the request; false when it only delayed it.</summary>
    private async Task<bool> ApplyFaultAsync(HttpContext context, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.None:
                return false;
            case FaultKind.Unauthorized:
                await Problem(context, 401, "ICA_AUTH_001", "The API key is not valid");
                return true;
            case FaultKind.Forbidden:
                await Problem(context, 403, "ICA_AUTH_005", "Forbidden");
                return true;
            case FaultKind.TooManyRequests:
                if (fault.RetryAfterSeconds is int seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problem(context, 429, "ICA_API_429", "Too many requests");
                return true;
            case FaultKind.InternalServerError:
                await Problem(context, 500, "ICA_GEN_500", "Internal error");
                return true;
            case FaultKind.BadGateway:
            case FaultKind.GatewayTimeout:
                await Html(context, fault.Kind == FaultKind.BadGateway ? 502 : 504, fault.Kind == FaultKind.BadGateway ? "502 Bad Gateway" : "504 Gateway Time-out");
                return true;
            case FaultKind.ServiceUnavailable:
                await Html(context, 503, "503 Service Temporarily Unavailable");
                return true;
            case FaultKind.Slow:
                await Task.Delay(fault.Delay ?? TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return context.RequestAborted.IsCancellationRequested;
            case FaultKind.TruncatedJson:
                await Write(context, 200, IcaMediaType, "{\"token\": \"eyJhbGciOi");
                return true;
            case FaultKind.HtmlPage:
                await Html(context, 200, "Welcome to the portal");
                return true;
            case FaultKind.NotAJwt:
                await Write(context, 200, IcaMediaType, "{\"token\": \"not-a-jwt\"}");
                return true;
            case FaultKind.ConnectionReset:
                context.Abort();
                return true;
            case FaultKind.ResetMidBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = IcaMediaType;
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"token\": \"eyJ"));
                await context.Response.Body.FlushAsync();
                context.Abort();
                return true;
            case FaultKind.EchoAuthorization:
                await Write(context, 500, "text/plain", $"upstream rejected Authorization: {context.Request.Headers.Authorization}");
                return true;
            case FaultKind.EchoTokenBase64:
                // The token re-encoded, as a proxy's debug page might show it: a plain JWT pattern would miss it.
                await Write(context, 500, "text/plain", "upstream saw " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty))));
                return true;
            case FaultKind.EchoInReason:
                // What a hostile server can put in a status line: the credential it was sent, and a terminal escape.
                context.Response.StatusCode = 403;
                context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase =
                    $"Denied {context.Request.Headers["X-API-Key"]} {context.Request.Headers.Authorization} \u001b]0;pwned\u0007";
                await context.Response.WriteAsync("denied");
                return true;
            case FaultKind.EchoSecrets when context.Request.Path.Value is TokensPath or RefreshPath:
                // At the token endpoint the server knows only what this request carried.
                await Problem(context, 500, "ICA_GEN_500", $"failed for key {context.Request.Headers["X-API-Key"]} auth {context.Request.Headers.Authorization}");
                return true;
            case FaultKind.EchoSecrets:
                // A server that learnt the key and the password at the token endpoint and echoes them in an API error.
                var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes(UserName + ":" + Password));
                await Problem(context, 500, "ICA_GEN_500", $"failed for key {ApiKey} pass {Password} basic {pair} upper {ApiKey.ToUpperInvariant()} auth {context.Request.Headers.Authorization}");
                return true;
            case FaultKind.EchoApiKey:
                var key = context.Request.Headers["X-API-Key"].ToString();
                await Write(context, 500, "text/plain", $"upstream failed for key {key} with token {MintToken(TimeSpan.FromMinutes(1))}");
                return true;
            default:
                return false;
        }
    }

    private string Remember(string jwt)
    {
        IssuedTokens.Add(jwt);
        return jwt;
    }

    private static Task WriteToken(HttpContext context, string jwt) =>
        Write(context, 200, IcaMediaType, JsonSerializer.Serialize(new { token = jwt }));

    /// <summary>An ICA problem+json answer, as the token endpoints and the rest of the API give it.</summary>
    internal static Task Problem(HttpContext context, int status, string code, string detail, Dictionary<string, string>? parameters = null) =>
        Write(context, status, "application/problem+json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid(),
            ["type"] = "about:blank",
            ["title"] = code,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value ?? string.Empty,
            ["parameters"] = parameters ?? new Dictionary<string, string>(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["method"] = context.Request.Method,
        }));

    private static Task Html(HttpContext context, int status, string title) =>
        Write(context, status, "text/html", $"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center><hr><center>nginx</center></body></html>");

    private static async Task Write(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(bytes);
            }

            bytes = buffer.ToArray();
        }

        await context.Response.Body.WriteAsync(bytes);
    }
}
