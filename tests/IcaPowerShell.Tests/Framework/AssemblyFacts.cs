using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace IcaPowerShell.Tests.Framework;

/// <summary>What one assembly file says about itself, read as metadata: nothing is loaded.</summary>
public sealed class AssemblyFacts
{
    private AssemblyFacts(string path, string name, Version version, IReadOnlyList<(string Name, Version Version)> references, int methods, int throwingPlatformNotSupported)
    {
        Path = path;
        Name = name;
        Version = version;
        References = references;
        Methods = methods;
        ThrowingPlatformNotSupported = throwingPlatformNotSupported;
    }

    public string Path { get; }

    public string Name { get; }

    public Version Version { get; }

    public IReadOnlyList<(string Name, Version Version)> References { get; }

    /// <summary>Public and protected methods of public types with an IL body.</summary>
    public int Methods { get; }

    /// <summary>Methods whose body creates a PlatformNotSupportedException.</summary>
    public int ThrowingPlatformNotSupported { get; }

    /// <summary>
    /// A package's "not supported on this platform" build: most of its methods throw
    /// PlatformNotSupportedException (the netstandard2.0 ACL stubs: every constructor and method).
    /// A real implementation may throw it here and there, never in most of its methods.
    /// </summary>
    public bool IsPlatformNotSupportedStub => Methods > 0 && ThrowingPlatformNotSupported * 2 > Methods;

    /// <summary>Null for a file that is not a managed assembly (the reference pack holds a few).</summary>
    public static AssemblyFacts? TryRead(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.HasMetadata && pe.GetMetadataReader().IsAssembly ? Read(path) : null;
    }

    public static AssemblyFacts Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var definition = reader.GetAssemblyDefinition();
        var references = reader.AssemblyReferences
            .Select(handle => reader.GetAssemblyReference(handle))
            .Select(reference => (reader.GetString(reference.Name), reference.Version))
            .ToList();

        var pnseConstructors = new HashSet<int>(reader.MemberReferences
            .Where(handle => IsPlatformNotSupportedConstructor(reader, reader.GetMemberReference(handle)))
            .Select(handle => MetadataTokens.GetToken(handle)));
        // Only the public surface counts: a stub's resource and helper methods do not throw.
        int methods = 0, throwing = 0;
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var visibility = type.Attributes & System.Reflection.TypeAttributes.VisibilityMask;
            if (visibility != System.Reflection.TypeAttributes.Public && visibility != System.Reflection.TypeAttributes.NestedPublic)
            {
                continue;
            }

            foreach (var handle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(handle);
                var access = method.Attributes & System.Reflection.MethodAttributes.MemberAccessMask;
                if (method.RelativeVirtualAddress == 0 || (access != System.Reflection.MethodAttributes.Public && access != System.Reflection.MethodAttributes.Family))
                {
                    continue;
                }

                methods++;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? Array.Empty<byte>();
                if (pnseConstructors.Count > 0 && CreatesAny(il, pnseConstructors))
                {
                    throwing++;
                }
            }
        }

        return new AssemblyFacts(path, reader.GetString(definition.Name), definition.Version, references, methods, throwing);
    }

    private static bool IsPlatformNotSupportedConstructor(MetadataReader reader, MemberReference member)
    {
        if (reader.GetString(member.Name) != ".ctor" || member.Parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var type = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
        return reader.GetString(type.Name) == nameof(PlatformNotSupportedException) && reader.GetString(type.Namespace) == "System";
    }

    /// <summary>newobj (0x73) followed by one of the tokens, little-endian.</summary>
    private static bool CreatesAny(byte[] il, HashSet<int> tokens)
    {
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] == 0x73 && tokens.Contains(BitConverter.ToInt32(il, i + 1)))
            {
                return true;
            }
        }

        return false;
    }
}
