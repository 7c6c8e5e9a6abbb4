using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.InteropServices;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Contract;

/// <summary>
/// The built cmdlet assembly, read as metadata only: PowerShellStandard.Library is a reference
/// assembly, so nothing in it can run here, but every attribute can be read.
/// </summary>
public sealed class CmdletMetadata : IDisposable
{
    private readonly MetadataLoadContext context;

    public CmdletMetadata()
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Path.Combine(Repo.ModuleFolder, "Dependencies", "Core"), "*.dll"))
            .Append(Repo.PowerShellReferenceAssembly)
            .Append(AssemblyPath);
        context = new MetadataLoadContext(new PathAssemblyResolver(paths.GroupBy(Path.GetFileName).Select(g => g.Last())), "netstandard");
        Assembly = context.LoadFromAssemblyPath(AssemblyPath);
    }

    public static string AssemblyPath => Path.Combine(Repo.ModuleFolder, "IcaPowerShell.dll");

    public Assembly Assembly { get; }

    public IEnumerable<Type> Cmdlets => Assembly.GetTypes().Where(t => Attribute(t, "CmdletAttribute") != null);

    public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.Name == name);

    public static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

    public static string CmdletName(Type cmdlet)
    {
        var attribute = Attribute(cmdlet, "CmdletAttribute")!;
        return $"{attribute.ConstructorArguments[0].Value}-{attribute.ConstructorArguments[1].Value}";
    }

    public Type Cmdlet(string name) => Cmdlets.Single(c => CmdletName(c) == name);

    /// <summary>The public settable properties that carry [Parameter], with inherited ones.</summary>
    public static IEnumerable<PropertyInfo> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => Attribute(p, "ParameterAttribute") != null);

    public void Dispose() => context.Dispose();
}
