using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Framework;

/// <summary>
/// The module's Windows PowerShell 5.1 closure (Dependencies/Desktop), read as metadata: no file is
/// a PlatformNotSupportedException stub, and every assembly it (or the cmdlet assembly) references
/// is either part of .NET Framework 4.7.2 or shipped there, in a version at least the one asked for.
/// </summary>
public sealed class DesktopClosureTests
{
    private static string Desktop => Path.Combine(Repo.ModuleFolder, "Dependencies", "Desktop");

    private static IReadOnlyList<AssemblyFacts> Shipped => Directory.GetFiles(Desktop, "*.dll").Select(AssemblyFacts.Read).ToList();

    [Fact]
    public void No_Desktop_assembly_is_a_PlatformNotSupportedException_stub()
    {
        var shipped = Shipped;
        Assert.Contains(shipped, a => a.Name == "System.IO.FileSystem.AccessControl");
        Assert.All(shipped, a => Assert.False(a.IsPlatformNotSupportedStub || a.Name.Contains("AccessControl") && a.ThrowingPlatformNotSupported > 0, $"{a.Name}: {a.ThrowingPlatformNotSupported} of {a.Methods} methods throw PlatformNotSupportedException"));
    }

    [Fact]
    public void The_stub_check_recognises_the_packages_netstandard_stubs()
    {
        // The files the module shipped for 5.1 before: the check must call them what they are.
        foreach (var package in new[] { "system.security.accesscontrol", "system.io.filesystem.accesscontrol" })
        {
            var stub = Directory.GetFiles(Path.Combine(Repo.NuGetPackages, package), "*.dll", SearchOption.AllDirectories)
                .Single(f => f.Replace('\\', '/').Contains("/5.0.0/lib/netstandard2.0/"));
            var facts = AssemblyFacts.Read(stub);
            Assert.True(facts.IsPlatformNotSupportedStub, $"{facts.Name}: {facts.ThrowingPlatformNotSupported} of {facts.Methods}");
        }
    }

    [Fact]
    public void Every_reference_of_the_Desktop_closure_is_in_the_framework_or_shipped()
    {
        var shipped = Shipped.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        var framework = Directory.GetFiles(Repo.NetFramework472, "*.dll")
            .Concat(Directory.GetFiles(Path.Combine(Repo.NetFramework472, "Facades"), "*.dll"))
            .Select(AssemblyFacts.TryRead)
            .OfType<AssemblyFacts>()
            .ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        Assert.True(framework.ContainsKey("mscorlib") && framework.ContainsKey("netstandard"), "the 4.7.2 reference assemblies were not found");

        var unresolved = new List<string>();
        foreach (var assembly in shipped.Values.Append(AssemblyFacts.Read(Path.Combine(Repo.ModuleFolder, "IcaPowerShell.dll"))))
        {
            foreach (var (name, version) in assembly.References)
            {
                // Windows PowerShell 5.1 itself is System.Management.Automation 3.0.0.0.
                var ok = name == "System.Management.Automation" && version <= new Version(3, 0, 0, 0)
                    || (shipped.TryGetValue(name, out var ours) && ours.Version >= version)
                    || (framework.TryGetValue(name, out var fx) && fx.Version >= version);
                if (!ok)
                {
                    unresolved.Add($"{assembly.Name} -> {name} {version}");
                }
            }
        }

        Assert.True(unresolved.Count == 0, "unresolved on .NET Framework 4.7.2: " + string.Join("; ", unresolved));
    }

    [Fact]
    public void The_Desktop_closure_holds_the_engine_and_no_PowerShell_or_netstandard_facade()
    {
        var names = Shipped.Select(a => a.Name).ToList();
        Assert.Contains("IcaPowerShell.Core", names);
        Assert.Contains("YamlDotNet", names);
        Assert.DoesNotContain("System.Management.Automation", names);
        Assert.DoesNotContain("netstandard", names);
        Assert.DoesNotContain("IcaPowerShell.Loader", names);
    }
}
