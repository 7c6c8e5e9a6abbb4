using System.Reflection;

namespace IcaPowerShell.Tests.Support;

/// <summary>Paths the build wrote into this assembly: the repository, PowerShell's and .NET Framework 4.7.2's reference assemblies.</summary>
public static class Repo
{
    public static string Root => Metadata("RepoRoot");

    public static string ModuleFolder => Path.Combine(Root, "out", "IcaPowerShell");

    public static string Manifest => Path.Combine(Root, "IcaPowerShell.psd1");

    public static string Configuration => Metadata("Configuration");

    public static string PowerShellReferenceAssembly => Metadata("PowerShellReferenceAssembly");

    /// <summary>.NET Framework 4.7.2's reference assemblies (Microsoft.NETFramework.ReferenceAssemblies.net472).</summary>
    public static string NetFramework472 => Metadata("NetFramework472ReferenceAssemblies");

    /// <summary>The NuGet packages folder: five levels above the reference assemblies' folder.</summary>
    public static string NuGetPackages => Path.GetFullPath(Path.Combine(NetFramework472, "..", "..", "..", "..", ".."));

    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
