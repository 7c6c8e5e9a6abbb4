using System.Reflection;
using System.Text.RegularExpressions;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Contract;

/// <summary>The cmdlets' public surface, read from the compiled assembly and checked against the manifest.</summary>
public sealed class CmdletContractTests : IClassFixture<CmdletMetadata>
{
    private readonly CmdletMetadata metadata;

    public CmdletContractTests(CmdletMetadata metadata)
    {
        this.metadata = metadata;
    }

    /// <summary>name -> (type, mandatory in sets, parameter sets); "__AllParameterSets" when in all.</summary>
    public static TheoryData<string, string, string, bool, string> ExpectedParameters => new()
    {
        { "Set-IcaConfig", "Profile", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "Path", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "ServerUrl", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "ApiKey", "SecureString", false, "__AllParameterSets" },
        { "Set-IcaConfig", "OutputFormat", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "ColorMode", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "ProjectId", "String", false, "__AllParameterSets" },
        { "Set-IcaConfig", "ClearProjectId", "SwitchParameter", false, "__AllParameterSets" },
        { "Set-IcaConfig", "Validate", "SwitchParameter", false, "__AllParameterSets" },
        { "Set-IcaConfig", "PassThru", "SwitchParameter", false, "__AllParameterSets" },
        { "Get-IcaConfig", "Profile", "String[]", false, "ByName" },
        { "Get-IcaConfig", "ListAvailable", "SwitchParameter", true, "All" },
        { "Get-IcaConfig", "Path", "String", false, "__AllParameterSets" },
        { "Reset-IcaConfig", "Profile", "String[]", false, "ByName" },
        { "Reset-IcaConfig", "All", "SwitchParameter", true, "All" },
        { "Reset-IcaConfig", "Force", "SwitchParameter", false, "__AllParameterSets" },
        { "Reset-IcaConfig", "Path", "String", false, "__AllParameterSets" },
        { "Get-IcaToken", "Profile", "String", false, "Profile" },
        { "Get-IcaToken", "Path", "String", false, "__AllParameterSets" },
        { "Get-IcaToken", "ApiKey", "SecureString", true, "ApiKey" },
        { "Get-IcaToken", "Credential", "PSCredential", true, "Credential" },
        { "Get-IcaToken", "Tenant", "String", false, "Credential" },
        { "Get-IcaToken", "ServerUrl", "String", false, "__AllParameterSets" },
        { "Get-IcaToken", "Force", "SwitchParameter", false, "__AllParameterSets" },
        { "Get-IcaToken", "AsPlainText", "SwitchParameter", false, "__AllParameterSets" },
        { "Get-IcaToken", "Proxy", "Uri", false, "__AllParameterSets" },
        { "Get-IcaToken", "ProxyCredential", "PSCredential", false, "__AllParameterSets" },
    };

    [Fact]
    public void The_assembly_has_exactly_the_documented_cmdlets_and_the_manifest_exports_them()
    {
        var compiled = metadata.Cmdlets.Select(CmdletMetadata.CmdletName).OrderBy(n => n).ToList();
        Assert.Equal(new[] { "Clear-IcaContext", "Get-IcaConfig", "Get-IcaContext", "Get-IcaToken", "Invoke-IcaRestMethod", "Reset-IcaConfig", "Set-IcaConfig", "Set-IcaContext" }, compiled);
        Assert.Equal(compiled, Manifest.List("CmdletsToExport").OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(ExpectedParameters))]
    public void Each_parameter_has_its_type_and_parameter_set(string cmdlet, string name, string type, bool mandatory, string set)
    {
        var property = CmdletMetadata.Parameters(metadata.Cmdlet(cmdlet)).SingleOrDefault(p => p.Name == name);
        Assert.True(property != null, $"{cmdlet} has no -{name}");
        Assert.Equal(type, property!.PropertyType.Name);
        var attribute = CmdletMetadata.Attribute(property, "ParameterAttribute")!;
        Assert.Equal(mandatory, CmdletMetadata.Named(attribute, "Mandatory") as bool? ?? false);
        Assert.Equal(set, CmdletMetadata.Named(attribute, "ParameterSetName") as string ?? "__AllParameterSets");
    }

    [Theory]
    [InlineData("Set-IcaConfig")]
    [InlineData("Get-IcaConfig")]
    [InlineData("Reset-IcaConfig")]
    [InlineData("Get-IcaToken")]
    public void No_cmdlet_has_a_parameter_the_contract_does_not_list(string cmdlet)
    {
        var expected = ExpectedParameters.Select(row => ((string)row[0]!, (string)row[1]!)).Where(r => r.Item1 == cmdlet).Select(r => r.Item2).OrderBy(n => n);
        Assert.Equal(expected, CmdletMetadata.Parameters(metadata.Cmdlet(cmdlet)).Select(p => p.Name).OrderBy(n => n));
    }

    [Theory]
    [InlineData("Set-IcaConfig", true, "Medium")]
    [InlineData("Reset-IcaConfig", true, "High")]
    [InlineData("Get-IcaConfig", false, null)]
    [InlineData("Get-IcaToken", false, null)]
    public void ShouldProcess_support_and_impact_are_as_documented(string cmdlet, bool supports, string? impact)
    {
        var attribute = CmdletMetadata.Attribute(metadata.Cmdlet(cmdlet), "CmdletAttribute")!;
        Assert.Equal(supports, CmdletMetadata.Named(attribute, "SupportsShouldProcess") as bool? ?? false);
        var declared = CmdletMetadata.Named(attribute, "ConfirmImpact");
        Assert.Equal(impact, declared == null ? null : ((ConfirmImpactValue)(int)declared).ToString());
    }

    [Theory]
    [InlineData("Set-IcaConfig", "IcaConfig")]
    [InlineData("Get-IcaConfig", "IcaConfig")]
    [InlineData("Get-IcaToken", "IcaToken,String")]
    [InlineData("Reset-IcaConfig", "Void")]
    public void Output_types_are_declared(string cmdlet, string types)
    {
        var declared = CmdletMetadata.Attributes(metadata.Cmdlet(cmdlet), "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values))
            .Select(t => ((Type)t!).Name);
        Assert.Equal(types.Split(','), declared);
    }

    [Theory]
    [InlineData("Set-IcaConfig", "OutputFormat", "table,yaml,json")]
    [InlineData("Set-IcaConfig", "ColorMode", "none,dark,light")]
    public void Choices_are_validated_and_tab_completed(string cmdlet, string parameter, string values)
    {
        var property = CmdletMetadata.Parameters(metadata.Cmdlet(cmdlet)).Single(p => p.Name == parameter);
        var validateSet = CmdletMetadata.Attribute(property, "ValidateSetAttribute")!;
        Assert.Equal(values.Split(','), validateSet.ConstructorArguments.SelectMany(Values).Cast<string>());
    }

    [Fact]
    public void Every_Profile_parameter_completes_profile_names()
    {
        // Clear-IcaContext alone acts on no profile; every other cmdlet takes -Profile.
        var withProfile = metadata.Cmdlets.Where(c => CmdletMetadata.CmdletName(c) != "Clear-IcaContext").ToList();
        Assert.Equal(7, withProfile.Count);
        foreach (var cmdlet in withProfile)
        {
            var profile = CmdletMetadata.Parameters(cmdlet).Single(p => p.Name == "Profile");
            var completer = CmdletMetadata.Attribute(profile, "ArgumentCompleterAttribute");
            Assert.True(completer != null, $"{CmdletMetadata.CmdletName(cmdlet)} -Profile has no completer");
            Assert.Equal("ProfileNameCompleter", ((Type)completer!.ConstructorArguments[0].Value!).Name);
        }
    }

    [Fact]
    public void Secrets_are_taken_only_as_SecureString_or_PSCredential()
    {
        var secretNames = new Regex("key|password|secret|token|credential", RegexOptions.IgnoreCase);
        // A switch (Get-IcaContext -Token: "get one") holds no secret.
        foreach (var parameter in metadata.Cmdlets.SelectMany(CmdletMetadata.Parameters).Where(p => secretNames.IsMatch(p.Name) && p.PropertyType.Name != "SwitchParameter"))
        {
            Assert.Contains(parameter.PropertyType.Name, new[] { "SecureString", "PSCredential" });
        }
    }

    [Fact]
    public void The_cmdlet_assembly_references_no_third_party_assembly()
    {
        var references = metadata.Assembly.GetReferencedAssemblies().Select(a => a.Name).OrderBy(n => n);
        Assert.Equal(new[] { "IcaPowerShell.Core", "netstandard", "System.Management.Automation" }, references);
    }

    [Fact]
    public void The_module_initializer_is_public()
    {
        // That import loads no engine type is shown in real pwsh (tests/Loading.Tests.ps1).
        var initializer = metadata.Assembly.GetTypes().Single(t => t.GetInterfaces().Any(i => i.Name == "IModuleAssemblyInitializer"));
        Assert.True(initializer.IsPublic);
    }

    private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is IEnumerable<CustomAttributeTypedArgument> array ? array.Select(a => a.Value) : new[] { argument.Value };

    private enum ConfirmImpactValue
    {
        None,
        Low,
        Medium,
        High,
    }
}
