using System.Diagnostics;

namespace IcaPowerShell.Tests.Support;

/// <summary>Starts a helper program (tests/IcaWorker, tests/ModuleHost) built for the same runtime as this test run.</summary>
public static class Worker
{
    public static string Executable(string project = "IcaWorker")
    {
        var ownFolder = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var folder = ownFolder.Replace($"{Path.DirectorySeparatorChar}IcaPowerShell.Tests{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}{project}{Path.DirectorySeparatorChar}");
        return Path.Combine(folder, OperatingSystem.IsWindows() ? project + ".exe" : project);
    }

    public static Process Start(params string[] arguments) => StartProject("IcaWorker", arguments);

    public static Process StartProject(string project, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable(project))
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
