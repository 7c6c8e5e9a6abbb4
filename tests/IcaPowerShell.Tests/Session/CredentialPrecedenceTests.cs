using System.Text.RegularExpressions;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;
using Xunit;

namespace IcaPowerShell.Tests.Session;

/// <summary>The precedence table: what it selects, and that README prints the same rows in the same order.</summary>
public sealed class CredentialPrecedenceTests
{
    private sealed class Env : IEnvironment
    {
        public Dictionary<string, string> Values { get; } = new();

        public string? Get(string name) => Values.TryGetValue(name, out var value) ? value : null;
    }

    [Fact]
    public void README_lists_the_rows_of_the_table_in_its_order()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var section = readme[readme.IndexOf("### Where credentials come from", StringComparison.Ordinal)..];
        var listed = Regex.Matches(section, @"^\d+\. (.+)\.$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Take(CredentialPrecedence.Rows.Count).ToList();
        Assert.Equal(CredentialPrecedence.Rows.Select(r => r.Summary).ToList(), listed);
    }

    [Fact]
    public void An_explicit_profile_or_path_beats_every_environment_variable()
    {
        var environment = new Env();
        environment.Values[EnvironmentVariables.AccessToken] = "x.y.z";
        environment.Values[EnvironmentVariables.ApiKey] = "key-from-the-environment";
        Assert.Equal(CredentialSourceKind.NamedProfile, CredentialPrecedence.Select(new TokenRequest(Profile: "other"), environment));
        Assert.Equal(CredentialSourceKind.NamedProfile, CredentialPrecedence.Select(new TokenRequest(Path: "/x/p.yaml"), environment));
        Assert.Equal(CredentialSourceKind.EnvironmentToken, CredentialPrecedence.Select(new TokenRequest(), environment));
        Assert.Equal(CredentialSourceKind.Parameters, CredentialPrecedence.Select(new TokenRequest(Profile: "other", Credential: new ApiKeyCredential(Secure.String("k"))), environment));
        environment.Values.Remove(EnvironmentVariables.AccessToken);
        Assert.Equal(CredentialSourceKind.EnvironmentKey, CredentialPrecedence.Select(new TokenRequest(ServerUrl: "stage.example.org"), environment));
        environment.Values.Clear();
        Assert.Equal(CredentialSourceKind.ImplicitProfile, CredentialPrecedence.Select(new TokenRequest(), environment));
    }
}
