using System.Xml.Linq;
using IcaPowerShell.HelpBuilder;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Contract;

/// <summary>The built help against the compiled cmdlets, and the checks that keep docs/help honest.</summary>
public sealed class HelpTests : IClassFixture<CmdletMetadata>, IDisposable
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private readonly CmdletMetadata metadata;
    private readonly TempFolder folder = new();

    public HelpTests(CmdletMetadata metadata)
    {
        this.metadata = metadata;
    }

    private static XDocument Help => XDocument.Load(Path.Combine(Repo.ModuleFolder, "en-US", "IcaPowerShell.dll-Help.xml"));

    private static string DocsHelp => Path.Combine(Repo.Root, "docs", "help");

    [Fact]
    public void Every_cmdlet_has_a_synopsis_a_description_and_at_least_two_examples()
    {
        var commands = Help.Descendants(Command + "command").ToList();
        Assert.Equal(metadata.Cmdlets.Select(CmdletMetadata.CmdletName).OrderBy(n => n), commands.Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).OrderBy(n => n));
        foreach (var command in commands)
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Command + "details")!.Element(Maml + "description")!.Value));
            Assert.NotEmpty(command.Element(Maml + "description")!.Elements(Maml + "para"));
            Assert.True(command.Descendants(Command + "example").Count() >= 2);
        }
    }

    [Fact]
    public void Every_parameter_has_help_and_every_parameter_set_a_syntax_line()
    {
        foreach (var cmdlet in metadata.Cmdlets)
        {
            var name = CmdletMetadata.CmdletName(cmdlet);
            var command = Help.Descendants(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);
            var documented = command.Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value, p => p.Element(Maml + "description")!.Value);
            foreach (var parameter in CmdletMetadata.Parameters(cmdlet))
            {
                Assert.True(documented.TryGetValue(parameter.Name, out var text) && text.Trim().Length > 10, $"{name} -{parameter.Name} has no help");
            }

            var sets = CmdletMetadata.Parameters(cmdlet).SelectMany(p => CmdletMetadata.Attributes(p, "ParameterAttribute"))
                .Select(a => CmdletMetadata.Named(a, "ParameterSetName") as string).OfType<string>().Distinct().Count();
            Assert.Equal(Math.Max(1, sets), command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());
        }
    }

    [Fact]
    public void The_about_topic_covers_profiles_precedence_encryption_and_the_variables()
    {
        var about = File.ReadAllText(Path.Combine(Repo.ModuleFolder, "en-US", "about_IcaPowerShell.help.txt"));
        Assert.StartsWith("TOPIC", about);
        foreach (var expected in new[] { "PROFILES", "WHERE CREDENTIALS COME FROM", "ENCRYPTION AND WHAT IT PROTECTS", "ENVIRONMENT VARIABLES", "ICAPOWERSHELL_ENCRYPTION_KEY", "ICAV2_ACCESS_TOKEN", "does not protect" })
        {
            Assert.Contains(expected, about);
        }
    }

    [Fact]
    public void A_parameter_without_help_is_caught()
    {
        var source = WriteHelp("Get-IcaConfig", parameters: "### -Profile\nNames.\n\n### -Path\nThe file.\n");
        var problems = HelpChecks.Check(Shapes().Single(s => s.Name == "Get-IcaConfig"), source, Shapes(), "test.md").ToList();
        Assert.Contains(problems, p => p.Contains("-ListAvailable has no help"));
    }

    [Fact]
    public void An_example_with_a_parameter_that_does_not_exist_is_caught_but_nested_commands_are_not()
    {
        var shapes = Shapes();
        Assert.Contains(HelpChecks.CheckCode("Get-IcaToken -Profil x", shapes, "x"), p => p.Contains("Get-IcaToken has no parameter -Profil"));
        Assert.Empty(HelpChecks.CheckCode("Set-IcaConfig -ApiKey (Read-Host -AsSecureString 'k') -Verbose | Out-Null", shapes, "x"));
        Assert.Contains(HelpChecks.CheckCode("Set-IcaConfig -Profile a `\n    -Nope 1", shapes, "x"), p => p.Contains("-Nope"));
    }

    [Fact]
    public void The_shipped_examples_use_only_real_parameters_and_real_cmdlets()
    {
        var examples = Directory.GetFiles(Path.Combine(Repo.Root, "docs", "examples"));
        Assert.Equal(new[] { "azure-pipelines.yml", "parallel.ps1", "runbook.ps1" }, examples.Select(Path.GetFileName).OrderBy(n => n));
        foreach (var example in examples)
        {
            var code = File.ReadAllText(example);
            Assert.Matches("Get-IcaToken|Invoke-IcaRestMethod", code);
            Assert.Empty(HelpChecks.CheckCode(code, Shapes(), example));
        }
    }

    private IReadOnlyList<CmdletShape> Shapes()
    {
        var shapes = CmdletShape.Read(CmdletMetadata.AssemblyPath, Repo.PowerShellReferenceAssembly, Path.Combine(Repo.ModuleFolder, "Dependencies", "Core"), out var context);
        context.Dispose();
        return shapes;
    }

    private HelpSource WriteHelp(string name, string parameters)
    {
        var path = folder.File(name + ".md");
        File.WriteAllText(path, $"# {name}\n\n## SYNOPSIS\nS.\n\n## DESCRIPTION\nD.\n\n## EXAMPLES\n\n### Example 1\n```powershell\n{name}\n```\n\n### Example 2\n```powershell\n{name}\n```\n\n## PARAMETERS\n\n{parameters}");
        return HelpSource.Parse(path);
    }

    public void Dispose() => folder.Dispose();
}
