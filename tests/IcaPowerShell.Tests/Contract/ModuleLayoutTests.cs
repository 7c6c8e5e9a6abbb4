using System.Xml.Linq;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Contract;

public sealed class ModuleLayoutTests
{
    [Fact]
    public void The_manifest_declares_both_editions_and_exports_nothing_by_wildcard()
    {
        Assert.Equal("IcaPowerShell.dll", Manifest.Value("RootModule"));
        Assert.Equal("5.1", Manifest.Value("PowerShellVersion"));
        Assert.True(Guid.TryParse(Manifest.Value("GUID"), out _));
        Assert.Equal(new[] { "Desktop", "Core" }, Manifest.List("CompatiblePSEditions"));
        Assert.Empty(Manifest.List("FunctionsToExport"));
        Assert.Empty(Manifest.List("AliasesToExport"));
        Assert.Empty(Manifest.List("VariablesToExport"));
        Assert.DoesNotContain(Manifest.List("CmdletsToExport"), name => name.Contains('*'));
        Assert.Matches(@"LicenseUri\s*=\s*'https://", Manifest.Text);
        Assert.Matches(@"ProjectUri\s*=\s*'https://", Manifest.Text);
        Assert.Matches(@"Tags\s*=\s*@\(", Manifest.Text);
    }

    [Fact]
    public void The_manifest_version_is_the_assemblies_version()
    {
        var version = System.Reflection.AssemblyName.GetAssemblyName(CmdletMetadata.AssemblyPath).Version!;
        Assert.Equal(Manifest.Value("ModuleVersion"), $"{version.Major}.{version.Minor}.{version.Build}");
    }

    [Fact]
    public void The_module_folder_holds_the_manifest_the_cmdlets_formats_help_and_Dependencies_only()
    {
        var top = Directory.EnumerateFileSystemEntries(Repo.ModuleFolder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "Dependencies", "IcaPowerShell.Format.ps1xml", "IcaPowerShell.Framework.ps1", "IcaPowerShell.dll", "IcaPowerShell.psd1", "en-US" }, top);
        Assert.Equal(new[] { "Core", "Desktop" }, Directory.GetDirectories(Path.Combine(Repo.ModuleFolder, "Dependencies")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "IcaPowerShell.Framework.ps1" }, Manifest.List("ScriptsToProcess"));
        foreach (var file in Manifest.List("FormatsToProcess"))
        {
            Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, file)), file);
        }

        var dependencies = Directory.GetFiles(Path.Combine(Repo.ModuleFolder, "Dependencies", "Core")).Select(Path.GetFileName).ToList();
        Assert.Contains("IcaPowerShell.Core.dll", dependencies);
        Assert.Contains("IcaPowerShell.Loader.dll", dependencies);
        Assert.Contains("YamlDotNet.dll", dependencies);
        Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        Assert.All(dependencies, name => Assert.EndsWith(".dll", name));
    }

    // A guard against bloat (a runtime assembly copied by mistake), not a budget to spend: the
    // four cmdlets took 1.88 MB, Invoke-IcaRestMethod (code, help, ICA's media-type table) 0.15 MB more,
    // the Desktop closure for Windows PowerShell 5.1 (22 assemblies) 1.71 MB more: 3.74 MB.
    [Fact]
    public void The_module_folder_stays_under_four_megabytes()
    {
        var total = Directory.EnumerateFiles(Repo.ModuleFolder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(total < 4_000_000, $"the module folder holds {total:N0} bytes");
    }

    [Fact]
    public void The_format_views_name_real_types_and_never_show_the_token()
    {
        var format = XDocument.Load(Path.Combine(Repo.ModuleFolder, "IcaPowerShell.Format.ps1xml"));
        var typeNames = format.Descendants("TypeName").Select(e => e.Value).ToList();
        Assert.Equal(new[] { "IcaPowerShell.Core.Configuration.IcaConfig", "IcaPowerShell.Core.Tokens.IcaToken", "IcaPowerShell.Core.Session.IcaContextView" }, typeNames);
        Assert.All(typeNames, name => Assert.NotNull(typeof(IcaPowerShell.Core.Tokens.IcaToken).Assembly.GetType(name)));
        Assert.DoesNotContain("Token", format.Descendants("PropertyName").Select(e => e.Value));
    }
}
