using System.Reflection;
using IcaPowerShell.Hosting;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Framework;

/// <summary>
/// The 5.1 resolver's decisions (src/IcaPowerShell/Hosting/FrameworkResolver.cs, compiled into
/// this test assembly too), against the built Desktop closure. Nothing here is loaded: only
/// refusals are asked for, on every runtime. What it serves, and to whom, ResolverTests shows on
/// the .NET Framework runtime.
/// </summary>
public sealed class FrameworkResolverTests
{
    private static readonly string Desktop = Path.Combine(Repo.ModuleFolder, "Dependencies", "Desktop");

    private static FrameworkResolver Resolver => new(Desktop, Path.Combine(Repo.ModuleFolder, "IcaPowerShell.dll"));

    private static AssemblyName Ours(string name) => AssemblyName.GetAssemblyName(Path.Combine(Desktop, name + ".dll"));

    [Fact]
    public void An_exact_identity_is_ours_only_with_the_same_token_and_major_and_no_newer_version()
    {
        var yaml = Ours("YamlDotNet");
        Assert.True(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNet, Version={yaml.Version}, Culture=neutral, PublicKeyToken=ec19458f3c15af5e"), yaml));
        Assert.True(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNet, Version={yaml.Version!.Major}.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e"), yaml));
        Assert.False(FrameworkResolver.IsExactlyOurs(Named("YamlDotNet, Version=13.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e"), yaml));
        Assert.False(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNet, Version={yaml.Version.Major + 1}.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e"), yaml));
        Assert.False(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNet, Version={yaml.Version}, Culture=neutral, PublicKeyToken=0000000000000000"), yaml));
        Assert.False(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNet, Version={yaml.Version}, Culture=neutral, PublicKeyToken=null"), yaml));
        Assert.False(FrameworkResolver.IsExactlyOurs(Named($"YamlDotNetX, Version={yaml.Version}, Culture=neutral, PublicKeyToken=ec19458f3c15af5e"), yaml));
    }

    [Theory]
    [InlineData("YamlDotNet, Version=13.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e")] // another module's older one
    [InlineData("YamlDotNet, Version=18.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e")] // another module's newer one
    [InlineData("System.Diagnostics.DiagnosticSource, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")] // not a file we ship
    [InlineData("not an assembly name, Version=x")]
    [InlineData("..\\..\\Windows\\evil")]
    [InlineData("")]
    public void Another_modules_request_is_refused_and_nothing_throws(string request)
    {
        var args = new ResolveEventArgs(request, requestingAssembly: null);
        Assert.Null(Resolver.Resolve(null, args));
    }

    [Fact]
    public void A_request_from_our_own_assembly_for_a_newer_version_than_ours_is_refused()
    {
        // Even for us: serving an older copy than asked for would fail later, and less clearly.
        var yaml = Ours("YamlDotNet");
        var newer = $"YamlDotNet, Version={yaml.Version!.Major + 1}.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e";
        Assert.Null(Resolver.Resolve(newer, requester: null));
    }

    private static AssemblyName Named(string name) => new(name);
}
