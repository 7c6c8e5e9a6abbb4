using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IcaPowerShell.Tests.Support;

/// <summary>
/// The fake ICA server as its own process (tests/FakeIca; .NET 10 under net472, else this run's runtime), as Pester runs it:
/// the tests on the .NET Framework runtime cannot host ASP.NET Core in-process. It stops with this
/// test process (--parent) or when disposed.
/// </summary>
public sealed class ExternalFakeIca : IDisposable
{
    private readonly Process process;

    public ExternalFakeIca()
    {
#if NETFRAMEWORK
        var folder = Path.Combine(Repo.Root, "tests", "FakeIca", "bin", Repo.Configuration, "net10.0");
#else
        // Built beside this test run, for the same runtime (the project reference).
        var separator = Path.DirectorySeparatorChar;
        var folder = AppContext.BaseDirectory.Replace($"{separator}IcaPowerShell.Tests{separator}", $"{separator}FakeIca{separator}");
#endif
        var executable = Directory.GetFiles(folder, "FakeIca*", SearchOption.AllDirectories)
            .FirstOrDefault(f => Path.GetFileName(f) == "FakeIca" || Path.GetFileName(f) == "FakeIca.exe")
            ?? throw new InvalidOperationException($"tests/FakeIca is not built under {folder}.");
        var start = new ProcessStartInfo(executable, $"--parent {Process.GetCurrentProcess().Id}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("The fake ICA server did not start.");
        while (process.StandardOutput.ReadLine() is string line)
        {
            if (Regex.Match(line, @"listening on (\S+)") is { Success: true } url)
            {
                Url = url.Groups[1].Value;
            }
            else if (Regex.Match(line, @"API key \(valid only for this fake server\): (\S+)") is { Success: true } key)
            {
                ApiKey = key.Groups[1].Value;
                break;
            }
        }

        if (Url.Length == 0 || ApiKey.Length == 0)
        {
            process.Kill();
            throw new InvalidOperationException("The fake ICA server did not say its address and key.");
        }
    }

    public string Url { get; } = string.Empty;

    public string ApiKey { get; } = string.Empty;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }
}
