using System.Reflection;

namespace IcaPowerShell.Tests.Support;

/// <summary>Paths the build wrote into this assembly: the repository and PowerShell's reference assembly.</summary>
public static class Repo
{
    public static string Root => Metadata("RepoRoot");

    public static string ModuleFolder => Path.Combine(Root, "out", "IcaPowerShell");

    public static string Manifest => Path.Combine(Root, "IcaPowerShell.psd1");

    public static string PowerShellReferenceAssembly => Metadata("PowerShellReferenceAssembly");

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
