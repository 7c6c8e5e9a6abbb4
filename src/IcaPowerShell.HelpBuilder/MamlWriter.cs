using System.Xml.Linq;

namespace IcaPowerShell.HelpBuilder;

/// <summary>Writes PowerShell's MAML help: the prose from the markdown, the facts from the metadata.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly (string Name, string Help)[] ShouldProcessParameters =
    {
        ("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
        ("Confirm", "Prompts you for confirmation before running the cmdlet."),
    };

    // SupportsPaging adds these at run time; they are no properties of the cmdlet class.
    private static readonly (string Name, string Type, string Help)[] PagingParameters =
    {
        ("First", "UInt64", "Writes only the first N items, and asks the server for no page beyond them."),
        ("Skip", "UInt64", "Skips the first N items."),
        ("IncludeTotalCount", "SwitchParameter", "Writes the total number of items (as the server reports it) before the items."),
    };

    public static XDocument Write(IEnumerable<(CmdletShape Shape, HelpSource Help)> cmdlets) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                cmdlets.Select(c => Command_(c.Shape, c.Help))));

    private static XElement Command_(CmdletShape shape, HelpSource help)
    {
        var parameters = shape.Parameters.Select(p => new DocumentedParameter(p.Name, help.Parameters[p.Name], p))
            .Concat(shape.SupportsPaging ? PagingParameters.Select(p => new DocumentedParameter(p.Name, p.Help, Common(p.Name, p.Type))) : Enumerable.Empty<DocumentedParameter>())
            .Concat(shape.SupportsShouldProcess ? ShouldProcessParameters.Select(p => new DocumentedParameter(p.Name, p.Help, null)) : Enumerable.Empty<DocumentedParameter>())
            .ToList();
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", shape.Name),
                new XElement(Command + "verb", shape.Verb),
                new XElement(Command + "noun", shape.Noun),
                Description(new[] { help.Synopsis })),
            Description(help.Description),
            new XElement(Command + "syntax", shape.ParameterSets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", shape.Name),
                    parameters.Where(p => p.Shape == null || p.Shape.InSet(set)).Select(p => Parameter(p.Name, p.Help, p.Shape, set))))),
            new XElement(Command + "parameters", parameters.Select(p => Parameter(p.Name, p.Help, p.Shape, null))),
            new XElement(Command + "inputTypes", InputTypes(shape)),
            new XElement(Command + "returnValues", shape.OutputTypes.DefaultIfEmpty("None").Select(t =>
                new XElement(Command + "returnValue", Type(t), Description(Array.Empty<string>())))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(Para))),
            new XElement(Command + "examples", help.Examples.Select((example, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
                    new XElement(Dev + "code", example.Code),
                    new XElement(Dev + "remarks", example.Remarks.Select(Para))))),
            new XElement(Maml + "relatedLinks", help.Links.Select(link =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", link), new XElement(Maml + "uri")))));
    }

    private static XElement Parameter(string name, string text, ParameterShape? shape, string? set)
    {
        var (mandatory, position, pipeline) = shape == null ? (false, null, "False") : set == null ? (shape.Mandatory, shape.Position, shape.Sets.Values.First().Pipeline) : shape.In(set);
        var isSwitch = shape == null || shape.IsSwitch;
        var typeName = shape?.TypeName ?? "SwitchParameter";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", mandatory ? "true" : "false"),
            new XAttribute("variableLength", typeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", shape?.SupportsWildcards == true ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", "none"),
            new XElement(Maml + "name", name),
            Description(text.Split("\n\n")));
        if (shape != null && shape.ValidValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup",
                shape.ValidValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }

        if (!isSwitch)
        {
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName));
        }

        element.Add(Type(typeName));
        return element;
    }

    /// <summary>INPUTS as the parameters' pipeline attributes say, so help cannot promise more or less than binding does.</summary>
    private static IEnumerable<XElement> InputTypes(CmdletShape shape)
    {
        var byValue = shape.Parameters.Where(p => p.Sets.Values.Any(s => s.Pipeline.Contains("ByValue"))).ToList();
        var byName = shape.Parameters.Where(p => p.Sets.Values.Any(s => s.Pipeline.Contains("ByPropertyName"))).Select(p => p.Name).ToList();
        foreach (var parameter in byValue)
        {
            yield return new XElement(Command + "inputType", Type(parameter.TypeName), Description(new[] { $"Values for -{parameter.Name} can be piped." }));
        }

        if (byName.Count > 0)
        {
            yield return new XElement(Command + "inputType", Type("Object"), Description(new[] { $"Objects with a property named {string.Join(" or ", byName)} (such as Get-IcaConfig's output) bind it to that parameter." }));
        }

        if (byValue.Count == 0 && byName.Count == 0)
        {
            yield return new XElement(Command + "inputType", Type("None"), Description(new[] { "Nothing can be piped to this cmdlet." }));
        }
    }

    private static ParameterShape Common(string name, string typeName) => new()
    {
        Name = name,
        TypeName = typeName,
        IsSwitch = typeName == "SwitchParameter",
        SupportsWildcards = false,
        ValidValues = Array.Empty<string>(),
        Sets = new Dictionary<string, (bool, int?, string)> { [CmdletShape.AllSets] = (false, null, "False") },
    };

    private sealed record DocumentedParameter(string Name, string Help, ParameterShape? Shape);

    private static XElement Type(string name) => new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
