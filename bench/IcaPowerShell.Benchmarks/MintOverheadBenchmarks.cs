using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// Target 2: the engine's mint (headers, pooled handler, timeout, JSON and JWT parsing) against a
/// bare HttpClient POST with the same headers to the same server, reading the body: at most 1.2x.
/// </summary>
[MemoryDiagnoser]
public class MintOverheadBenchmarks
{
    private Fixture fixture = null!;
    private HttpClient bare = null!;
    private IcaTokenClient client = null!;
    private ServerAddress server = null!;
    private ApiKeyCredential credential = null!;
    private Uri tokens = null!;

    [GlobalSetup]
    public void Setup()
    {
        fixture = Fixture.StartAsync().GetAwaiter().GetResult();
        bare = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip });
        client = new IcaTokenClient(new IcaHttpOptions());
        server = ServerAddress.Parse(fixture.Server.Url);
        credential = new ApiKeyCredential(SecretText.ToSecureString(fixture.Server.ApiKey));
        tokens = server.TokensUri;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        bare.Dispose();
        fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "bare HttpClient POST")]
    public async Task<string> BarePost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokens);
        request.Headers.Add("X-API-Key", fixture.Server.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.illumina.v3+json"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await bare.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "engine mint (IcaTokenClient)")]
    public Task<MintedJwt> EngineMint() => client.CreateTokenAsync(server, credential, CancellationToken.None);
}
