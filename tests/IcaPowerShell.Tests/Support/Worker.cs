using System.Diagnostics;

namespace IcaPowerShell.Tests.Support;

/// <summary>Starts tests/IcaWorker, built for the same runtime as this test run, as a separate process.</summary>
public static class Worker
{
    public static string Executable
    {
        get
        {
            var ownFolder = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var folder = ownFolder.Replace($"{Path.DirectorySeparatorChar}IcaPowerShell.Tests{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}IcaWorker{Path.DirectorySeparatorChar}");
            return Path.Combine(folder, OperatingSystem.IsWindows() ? "IcaWorker.exe" : "IcaWorker");
        }
    }

    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
    }
}
