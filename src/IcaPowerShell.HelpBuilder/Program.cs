using IcaPowerShell.HelpBuilder;

// HelpBuilder ASSEMBLY POWERSHELL_REFERENCE DEPENDENCIES DOCS OUT
// Writes OUT/IcaPowerShell.dll-Help.xml and OUT/about_IcaPowerShell.help.txt, or prints every
// problem and exits 1: a parameter without help, help for a parameter that does not exist, an
// example that passes a parameter the cmdlet does not have, fewer than two examples.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: HelpBuilder ASSEMBLY POWERSHELL_REFERENCE DEPENDENCIES DOCS OUT");
    return 2;
}

var (assembly, reference, dependencies, docs, output) = (args[0], args[1], args[2], args[3], args[4]);
var shapes = CmdletShape.Read(assembly, reference, dependencies, out var context);
using (context)
{
    var problems = new List<string>();
    var pairs = new List<(CmdletShape, HelpSource)>();
    foreach (var shape in shapes)
    {
        var file = Path.Combine(docs, shape.Name + ".md");
        if (!File.Exists(file))
        {
            problems.Add($"{shape.Name}: no help file {file}");
            continue;
        }

        var help = HelpSource.Parse(file);
        problems.AddRange(HelpChecks.Check(shape, help, shapes, file));
        pairs.Add((shape, help));
    }

    foreach (var example in Directory.Exists(Path.Combine(docs, "..", "examples")) ? Directory.GetFiles(Path.Combine(docs, "..", "examples")) : Array.Empty<string>())
    {
        problems.AddRange(HelpChecks.CheckCode(File.ReadAllText(example), shapes, example));
    }

    if (problems.Count > 0)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }

        return 1;
    }

    Directory.CreateDirectory(output);
    MamlWriter.Write(pairs).Save(Path.Combine(output, "IcaPowerShell.dll-Help.xml"));
    File.WriteAllText(Path.Combine(output, "about_IcaPowerShell.help.txt"), AboutTopic.FromMarkdown(Path.Combine(docs, "about_IcaPowerShell.md")));
    Console.WriteLine($"Help for {pairs.Count} cmdlets written to {output}");
    return 0;
}
