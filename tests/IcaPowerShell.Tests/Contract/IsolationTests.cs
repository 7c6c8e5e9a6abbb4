using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Contract;

/// <summary>
/// In a fresh process on this test run's runtime (.NET 8 or 10): other versions of YamlDotNet and
/// Microsoft.Extensions.DependencyInjection are loaded first, then the module folder is loaded
/// through the module's own loader, as PowerShell 7 does, and a token is minted.
/// </summary>
public sealed class IsolationTests
{
    [Fact]
    public async Task The_engine_binds_its_own_dependencies_beside_conflicting_ones()
    {
        using var host = Worker.StartProject("ModuleHost", "--conflict", "--quiet");
        var output = await host.StandardOutput.ReadToEndAsync();
        var errors = await host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync();
        Assert.True(host.ExitCode == 0, errors);

        var report = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        var dependencies = Path.Combine(Repo.ModuleFolder, "Dependencies", "Core");

        // Import loads the loader and nothing else: the engine and its dependencies wait for the first command.
        Assert.Equal("IcaPowerShell.Loader", report["import.loaded-from-module"]);
        Assert.StartsWith("13.", report["default.YamlDotNet"]);
        Assert.Equal("IcaPowerShell", report["engine.context"]);
        Assert.Equal(Path.Combine(dependencies, "IcaPowerShell.Core.dll"), report["engine.location"]);
        Assert.StartsWith("16.", report["engine.YamlDotNet"]);
        Assert.EndsWith(Path.Combine(dependencies, "YamlDotNet.dll"), report["engine.YamlDotNet"]);
        Assert.EndsWith(Path.Combine(dependencies, "Microsoft.Extensions.Http.dll"), report["engine.Microsoft.Extensions.Http"]);
        Assert.EndsWith(Path.Combine(dependencies, "Microsoft.Extensions.DependencyInjection.dll"), report["engine.Microsoft.Extensions.DependencyInjection"]);
        Assert.StartsWith("Minted, tenant fake-tenant", report["token.first"]);
        Assert.StartsWith("Cache", report["token.second"]);
    }
}
