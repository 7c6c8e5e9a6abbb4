using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace IcaPowerShell.Benchmarks;

/// <summary>
/// Target 5: a fresh .NET 8 process that loads the module folder the way PowerShell 7 does and
/// mints one token (with the key in the environment, as a pipeline step does), against a fresh process that does one bare HttpClient POST; at most 1.5x.
/// Both are tests/ModuleHost (same executable, same start-up), differing only in the path taken,
/// run alternately against one fake server that stays up, so only the module's cost differs.
/// </summary>
public static class ColdStart
{
    public static async Task<int> RunAsync(int rounds)
    {
        await using var fixture = await Fixture.StartAsync();
        var host = HostExecutable();
        var module = new List<double>();
        var bare = new List<double>();
        var factory = new List<double>();
        await Time(host, fixture, "--server", null);
        for (var i = 0; i < rounds; i++)
        {
            module.Add(await Time(host, fixture, "--server", null));
            bare.Add(await Time(host, fixture, "--server", "--bare"));
            factory.Add(await Time(host, fixture, "--server", "--bare-factory"));
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Cold start, {rounds} fresh processes each, alternating, on {Environment.ProcessorCount} cores ({host})");
        report.AppendLine("| process | median ms | min ms | max ms |");
        report.AppendLine("| --- | --- | --- | --- |");
        report.AppendLine(Line("load module + mint (module host)", module));
        report.AppendLine(Line("bare HttpClient POST", bare));
        report.AppendLine(Line("bare POST through IHttpClientFactory", factory));
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"module / bare: {Median(module) / Median(bare):0.00}x (target: at most 1.5x)");
        report.AppendLine(CultureInfo.InvariantCulture, $"module / bare through IHttpClientFactory: {Median(module) / Median(factory):0.00}x");
        Console.Write(report);
        var results = Path.Combine(RepoRoot(), "bench", "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "ColdStart-report.md"), report.ToString());
        return 0;
    }

    private static async Task<double> Time(string host, Fixture fixture, string serverFlag, string? mode)
    {
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(serverFlag);
        start.ArgumentList.Add(fixture.Server.Url);
        start.ArgumentList.Add("--quiet");
        start.ArgumentList.Add("--environment");
        if (mode != null)
        {
            start.ArgumentList.Add(mode);
        }

        start.Environment["FAKE_ICA_API_KEY"] = fixture.Server.ApiKey;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0 || !(output.Contains("token.first=Minted") || output.Contains("bare.status=200")))
        {
            throw new InvalidOperationException($"the host failed ({process.ExitCode}): {output}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static string Line(string name, List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(values):0} | {values.Min():0} | {values.Max():0} |");

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string HostExecutable()
    {
        var folder = AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}bench{Path.DirectorySeparatorChar}IcaPowerShell.Benchmarks{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}ModuleHost{Path.DirectorySeparatorChar}");
        return Path.Combine(folder, OperatingSystem.IsWindows() ? "ModuleHost.exe" : "ModuleHost");
    }

    public static string RepoRoot() =>
        typeof(ColdStart).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
}
