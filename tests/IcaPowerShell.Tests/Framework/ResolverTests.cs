#if NETFRAMEWORK
using System.Diagnostics;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Framework;

/// <summary>
/// Windows PowerShell 5.1's loading on the .NET Framework runtime (Mono here): in a fresh process
/// (tests/Fixtures/FrameworkProbe), two other modules that use older and newer YamlDotNet,
/// DiagnosticSource and System.Memory than ours are loaded before or after the built module; the
/// module's resolver is installed as OnImport does (twice, as two runspaces would), a token is
/// minted through the Desktop closure over the .NET Framework HttpClient, and every side says
/// which copy each of its binds got.
/// </summary>
public sealed class ResolverTests : IClassFixture<ExternalFakeIca>
{
    private static readonly string[] Shared = { "YamlDotNet", "System.Diagnostics.DiagnosticSource", "System.Memory" };
    private readonly ExternalFakeIca server;

    public ResolverTests(ExternalFakeIca server) => this.server = server;

    private static string Desktop => Path.Combine(Repo.ModuleFolder, "Dependencies", "Desktop");

    private static string Fixture(string name) => Path.Combine(Repo.Root, "tests", "Fixtures", name, "bin", Repo.Configuration, "net472", name + ".dll");

    [Theory]
    [InlineData("ours-first")]
    [InlineData("others-first")]
    public void Each_module_binds_its_own_versions_in_either_order(string order)
    {
        var lines = RunProbe(order);

        var token = Assert.Single(lines, l => l[0] == "token");
        Assert.Equal(new[] { "token", "Minted", "fake-tenant", Path.Combine(Desktop, "IcaPowerShell.Core.dll") }, token);

        foreach (var (module, expected) in new[] { ("OtherModuleOld", new[] { "13.", "8.", "4.0.1." }), ("OtherModuleNew", new[] { "18.", "11.", "4.0.5." }) })
        {
            for (var i = 0; i < Shared.Length; i++)
            {
                var line = Assert.Single(lines, l => l[0] == "other" && l[1] == module && l[2] == Shared[i]);
                Assert.StartsWith(expected[i], line[3]);
                var ours = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Desktop, Shared[i] + ".dll")).Version!.ToString();
                if (line[3] != ours)
                {
                    // Another version than ours: always their own file, never ours.
                    Assert.Equal(Path.Combine(Path.GetDirectoryName(Fixture(module))!, Shared[i] + ".dll"), line[4]);
                }
            }
        }

        foreach (var name in Shared)
        {
            var ours = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Desktop, name + ".dll")).Version!.ToString();
            var bound = lines.Where(l => l[0] == "ours" && l[2] == name && l[1] != name).ToList();
            Assert.NotEmpty(bound);
            Assert.All(bound, l => Assert.Equal(ours, l[3]));

            // A different version than another module's is always our file. The same identity
            // (System.Memory 4.0.5.0 in OtherModuleNew and ours) is one assembly to the runtime:
            // whichever copy came first serves both, as it would on Windows.
            var sameIdentity = lines.Where(l => l[0] == "other" && l[2] == name && l[3] == ours).Select(l => l[4]).ToList();
            Assert.All(bound, l => Assert.True(l[4] == Path.Combine(Desktop, name + ".dll") || sameIdentity.Contains(l[4]), string.Join("|", l)));
            if (sameIdentity.Count == 0)
            {
                Assert.All(bound, l => Assert.Equal(Path.Combine(Desktop, name + ".dll"), l[4]));
            }
        }
    }

    private List<string[]> RunProbe(string order)
    {
        var probe = Path.Combine(Repo.Root, "tests", "Fixtures", "FrameworkProbe", "bin", Repo.Configuration, "net472", "FrameworkProbe.exe");
        var arguments = $"\"{Repo.ModuleFolder}\" {order} {server.Url} \"{Fixture("OtherModuleOld")}\" \"{Fixture("OtherModuleNew")}\"";
        var start = Runtime.IsWindows
            ? new ProcessStartInfo(probe, arguments)
            : new ProcessStartInfo("mono", $"\"{probe}\" {arguments}");
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.EnvironmentVariables["ICAPOWERSHELL_PROBE_KEY"] = server.ApiKey;
        foreach (var name in new[] { "ICAV2_X_API_KEY", "ICAV2_SERVER_URL", "ICAV2_PROFILE", "ICAPOWERSHELL_CONFIG_PATH" })
        {
            start.EnvironmentVariables.Remove(name);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the probe exited {process.ExitCode}: {errors.Result}");
        return output.Split('\n').Where(l => l.Trim().Length > 0).Select(l => l.Trim().Split('|')).ToList();
    }
}
#endif
