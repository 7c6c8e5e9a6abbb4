using System.Reflection;
using System.Runtime.InteropServices;

namespace IcaPowerShell.HelpBuilder;

/// <summary>What the compiled assembly says about one cmdlet, read as metadata (nothing runs).</summary>
internal sealed class CmdletShape
{
    public const string AllSets = "__AllParameterSets";

    public required string Name { get; init; }

    public required string Verb { get; init; }

    public required string Noun { get; init; }

    public required bool SupportsShouldProcess { get; init; }

    public bool SupportsPaging { get; init; }

    public required string DefaultSet { get; init; }

    public required IReadOnlyList<ParameterShape> Parameters { get; init; }

    public required IReadOnlyList<string> OutputTypes { get; init; }

    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().ToList();
            return named.Count == 0 ? new[] { AllSets } : named.OrderBy(s => s == DefaultSet ? 0 : 1).ToList();
        }
    }

    public static IReadOnlyList<CmdletShape> Read(string assemblyPath, string powerShellReference, string dependencies, out MetadataLoadContext context)
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(dependencies, "*.dll"))
            .Append(powerShellReference)
            .Append(assemblyPath)
            .GroupBy(Path.GetFileName)
            .Select(g => g.Last());
        context = new MetadataLoadContext(new PathAssemblyResolver(paths), "netstandard");
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        return assembly.GetTypes().Select(FromType).OfType<CmdletShape>().OrderBy(c => c.Name).ToList();
    }

    private static CmdletShape? FromType(Type type)
    {
        var cmdlet = Attribute(type, "CmdletAttribute");
        if (cmdlet == null)
        {
            return null;
        }

        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        return new CmdletShape
        {
            Name = $"{verb}-{noun}",
            Verb = verb,
            Noun = noun,
            SupportsShouldProcess = Named(cmdlet, "SupportsShouldProcess") as bool? ?? false,
            SupportsPaging = Named(cmdlet, "SupportsPaging") as bool? ?? false,
            DefaultSet = Named(cmdlet, "DefaultParameterSetName") as string ?? AllSets,
            Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(ParameterShape.FromProperty).OfType<ParameterShape>()
                .OrderBy(p => p.Position ?? int.MaxValue).ThenBy(p => p.Mandatory ? 0 : 1).ThenBy(p => p.Name)
                .ToList(),
            OutputTypes = type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(a => a.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { a.Value })
                .Select(t => ((Type)t!).FullName!)
                .Where(n => n != "System.Void")
                .ToList(),
        };
    }

    public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    public static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();
}

internal sealed class ParameterShape
{
    public required string Name { get; init; }

    public required string TypeName { get; init; }

    public required bool IsSwitch { get; init; }

    public required bool SupportsWildcards { get; init; }

    public required IReadOnlyList<string> ValidValues { get; init; }

    /// <summary>Parameter set -> (mandatory, position, pipeline input).</summary>
    public required IReadOnlyDictionary<string, (bool Mandatory, int? Position, string Pipeline)> Sets { get; init; }

    public bool Mandatory => Sets.Values.Any(s => s.Mandatory);

    public int? Position => Sets.Values.Select(s => s.Position).FirstOrDefault(p => p != null);

    public bool InSet(string set) => Sets.ContainsKey(set) || Sets.ContainsKey(CmdletShape.AllSets);

    public (bool Mandatory, int? Position, string Pipeline) In(string set) =>
        Sets.TryGetValue(set, out var s) ? s : Sets[CmdletShape.AllSets];

    public static ParameterShape? FromProperty(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute").ToList();
        if (attributes.Count == 0)
        {
            return null;
        }

        var sets = new Dictionary<string, (bool, int?, string)>();
        foreach (var attribute in attributes)
        {
            var position = CmdletShape.Named(attribute, "Position") as int?;
            var byValue = CmdletShape.Named(attribute, "ValueFromPipeline") as bool? ?? false;
            var byName = CmdletShape.Named(attribute, "ValueFromPipelineByPropertyName") as bool? ?? false;
            var pipeline = byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
            sets[CmdletShape.Named(attribute, "ParameterSetName") as string ?? CmdletShape.AllSets] =
                (CmdletShape.Named(attribute, "Mandatory") as bool? ?? false, position is int p && p >= 0 ? p : null, pipeline);
        }

        var validateSet = CmdletShape.Attribute(property, "ValidateSetAttribute");
        return new ParameterShape
        {
            Name = property.Name,
            TypeName = property.PropertyType.Name,
            IsSwitch = property.PropertyType.Name == "SwitchParameter",
            SupportsWildcards = CmdletShape.Attribute(property, "SupportsWildcardsAttribute") != null,
            ValidValues = validateSet == null
                ? Array.Empty<string>()
                : validateSet.ConstructorArguments.SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.Value!).Select(v => (string)v.Value!).ToList(),
            Sets = sets,
        };
    }
}
