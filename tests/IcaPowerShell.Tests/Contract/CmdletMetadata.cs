using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
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
            .Concat(Directory.GetFiles(Path.Combine(Repo.ModuleFolder, "Dependencies"), "*.dll"))
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

    /// <summary>The names of the methods a type's method bodies call, read from the IL.</summary>
    public static ISet<string> CalledMethodNames(string typeName)
    {
        using var stream = File.OpenRead(AssemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var called = new HashSet<string>();
        var type = reader.TypeDefinitions.Select(reader.GetTypeDefinition).Single(t => reader.GetString(t.Name) == typeName);
        var methods = type.GetMethods().Select(reader.GetMethodDefinition)
            .Concat(type.GetNestedTypes().SelectMany(n => reader.GetTypeDefinition(n).GetMethods().Select(reader.GetMethodDefinition)));
        foreach (var method in methods.Where(m => m.RelativeVirtualAddress != 0))
        {
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
            foreach (var token in IlCalls.Tokens(il))
            {
                var handle = MetadataTokens.EntityHandle(token);
                if (handle.Kind == HandleKind.MemberReference)
                {
                    called.Add(reader.GetString(reader.GetMemberReference((MemberReferenceHandle)handle).Name));
                }
                else if (handle.Kind == HandleKind.MethodDefinition)
                {
                    called.Add(reader.GetString(reader.GetMethodDefinition((MethodDefinitionHandle)handle).Name));
                }
            }
        }

        return called;
    }

    public void Dispose() => context.Dispose();
}
