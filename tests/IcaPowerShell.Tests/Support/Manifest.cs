using System.Text.RegularExpressions;

namespace IcaPowerShell.Tests.Support;

/// <summary>Reads IcaPowerShell.psd1's simple entries (strings and arrays of strings) without PowerShell.</summary>
public static class Manifest
{
    public static string Text => File.ReadAllText(Repo.Manifest);

    public static string? Value(string key)
    {
        var match = Regex.Match(Text, $@"^\s*{key}\s*=\s*'([^']*)'", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static IReadOnlyList<string> List(string key)
    {
        var match = Regex.Match(Text, $@"^\s*{key}\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline);
        Assert.True(match.Success, $"the manifest has no {key} array");
        return Regex.Matches(match.Groups[1].Value, "'([^']*)'").Cast<Match>().Select(m => m.Groups[1].Value).ToList();
    }
}
