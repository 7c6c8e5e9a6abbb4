using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using FakeIca;
using Microsoft.Extensions.DependencyInjection;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;

// dotnet run --project tests/ModuleHost -f net8.0 [-- --conflict] [--server URL] [--bare] [--quiet]
//   --conflict  load YamlDotNet 13 and Microsoft.Extensions.DependencyInjection 8 first, as another module would
//   --server    use a fake ICA server that is already running (its key in $env:FAKE_ICA_API_KEY)
//   --bare      mint with a bare HttpClient POST instead of the module (the cold-start baseline)
//   --bare-factory  the same POST through an IHttpClientFactory built as the engine builds its own
//   --environment  mint with the key in the environment (as a pipeline does), not from a saved profile
//   --quiet     print only the key=value report
var options = args.ToHashSet();
var external = args.SkipWhile(a => a != "--server").Skip(1).FirstOrDefault();
var report = new Dictionary<string, string>();

if (options.Contains("--conflict"))
{
    report["default.YamlDotNet"] = Conflicts.Load();
}

FakeIcaServer? server = null;
string url;
string apiKey;
if (external != null)
{
    url = external;
    apiKey = Environment.GetEnvironmentVariable("FAKE_ICA_API_KEY") ?? throw new InvalidOperationException("Set FAKE_ICA_API_KEY to the fake server's key.");
}
else
{
    server = await FakeIcaServer.StartAsync();
    url = server.Url;
    apiKey = server.ApiKey;
}

if (options.Contains("--bare") || options.Contains("--bare-factory"))
{
    report["bare.status"] = await Bare.MintAsync(url, apiKey, options.Contains("--bare-factory"));
}
else
{
    var moduleFolder = typeof(Import).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleFolder").Value!;
    var phase = Stopwatch.StartNew();
    Import.AsPowerShellDoes(moduleFolder);
    report["phase.import.ms"] = phase.Elapsed.TotalMilliseconds.ToString("0.0");
    report["import.loaded-from-module"] = string.Join(",", AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => !a.IsDynamic && a.Location.StartsWith(moduleFolder, StringComparison.Ordinal))
        .Select(a => a.GetName().Name).OrderBy(n => n));
    Engine.MintTwice(url, apiKey, options.Contains("--environment"), report);
}

report["process.ms"] = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds.ToString("0");
if (!options.Contains("--quiet"))
{
    Console.WriteLine($"Loaded the module from its build folder and minted a token from the fake ICA server at {url}.");
}

foreach (var (key, value) in report)
{
    Console.WriteLine($"{key}={value}");
}

if (server != null)
{
    await server.DisposeAsync();
}

/// <summary>What IcaPowerShell.dll's module initializer does on PowerShell 7.</summary>
internal static class Import
{
    public static void AsPowerShellDoes(string moduleFolder)
    {
        var dependencies = Path.Combine(moduleFolder, "Dependencies", "Core");
        var loader = Assembly.LoadFrom(Path.Combine(dependencies, "IcaPowerShell.Loader.dll"));
        loader.GetType("IcaPowerShell.Loader.IsolatedLoader", throwOnError: true)!
            .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
            .Invoke(null, new object[] { dependencies });
    }
}

/// <summary>Engine code: compiled against IcaPowerShell.Core, which only the module's loader can supply.</summary>
internal static class Engine
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void MintTwice(string url, string apiKey, bool fromEnvironment, Dictionary<string, string> report)
    {
        var home = Path.Combine(Path.GetTempPath(), "IcaPowerShell.ModuleHost", Guid.NewGuid().ToString("N"));
        var variables = fromEnvironment
            ? new Dictionary<string, string> { ["ICAV2_X_API_KEY"] = apiKey, ["ICAV2_SERVER_URL"] = url }
            : new Dictionary<string, string>();
        var session = new IcaSession(new IcaSessionOptions { Environment = new Variables(variables), HomeFolder = () => home, AllowDpapi = false });
        if (!fromEnvironment)
        {
            // What Set-IcaConfig -ServerUrl URL -ApiKey KEY does.
            session.OpenStore(null).Save("default", new ProfileChanges
            {
                Server = ServerAddress.Parse(url),
                ApiKey = SecretText.ToSecureString(apiKey),
            });
            report["profile.path"] = session.OpenStore(null).Path;
        }

        var request = new TokenRequest();
        var mint = Stopwatch.StartNew();
        var first = session.GetToken(request);
        report["phase.first-token.ms"] = mint.Elapsed.TotalMilliseconds.ToString("0.0");
        var second = session.GetToken(request);
        const int warmCalls = 100_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < warmCalls; i++)
        {
            session.GetToken(request);
        }

        clock.Stop();

        var engine = typeof(IcaSession).Assembly;
        var context = AssemblyLoadContext.GetLoadContext(engine)!;
        report["engine.context"] = context.Name ?? "default";
        report["engine.location"] = engine.Location;
        foreach (var name in new[] { "YamlDotNet", "Microsoft.Extensions.Http", "Microsoft.Extensions.DependencyInjection" })
        {
            var used = context.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
            report[$"engine.{name}"] = used == null ? "not loaded" : $"{used.GetName().Version} from {used.Location}";
        }

        report["token.first"] = $"{first.Source}, tenant {first.Tenant}, expires {first.ExpiresOn:u}";
        report["token.second"] = $"{second.Source}; {warmCalls:N0} more from the cache at {clock.Elapsed.TotalNanoseconds / warmCalls:0} ns each";
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private sealed class Variables(Dictionary<string, string> values) : IcaPowerShell.Core.Configuration.IEnvironment
    {
        public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
    }
}

/// <summary>Loads other versions of the engine's dependencies into the default context.</summary>
internal static class Conflicts
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Load()
    {
        var yaml = typeof(YamlDotNet.Core.Parser).Assembly;
        _ = new ServiceCollection().BuildServiceProvider();
        return $"{yaml.GetName().Version} from {yaml.Location}";
    }
}

/// <summary>The baseline: one POST with the headers ICA needs, and nothing else.</summary>
internal static class Bare
{
    public static async Task<string> MintAsync(string url, string apiKey, bool throughFactory)
    {
        using var client = throughFactory
            ? new ServiceCollection().AddHttpClient("ica").Services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("ica")
            : new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/ica/rest/api/tokens");
        request.Headers.Add("X-API-Key", apiKey);
        request.Headers.Accept.ParseAdd("application/vnd.illumina.v3+json");
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode).ToString();
    }
}
