namespace IcaPowerShell.HelpBuilder;

/// <summary>The rules that keep help and code in step.</summary>
internal static class HelpChecks
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    /// <summary>What SupportsPaging gives a cmdlet.</summary>
    private static readonly string[] PagingParameters = { "First", "Skip", "IncludeTotalCount" };

    public static IEnumerable<string> Check(CmdletShape shape, HelpSource help, IReadOnlyList<CmdletShape> all, string file)
    {
        if (help.Name != shape.Name)
        {
            yield return $"{file}: the heading names '{help.Name}', not {shape.Name}";
        }

        if (string.IsNullOrWhiteSpace(help.Synopsis) || help.Description.Count == 0)
        {
            yield return $"{file}: a synopsis and a description are required";
        }

        foreach (var parameter in shape.Parameters.Where(p => !help.Parameters.TryGetValue(p.Name, out var text) || string.IsNullOrWhiteSpace(text)))
        {
            yield return $"{file}: -{parameter.Name} has no help";
        }

        foreach (var documented in help.Parameters.Keys.Where(k => shape.Parameters.All(p => !p.Name.Equals(k, StringComparison.OrdinalIgnoreCase))))
        {
            yield return $"{file}: documents -{documented}, which {shape.Name} does not have";
        }

        if (help.Examples.Count < 2)
        {
            yield return $"{file}: at least two examples are required";
        }

        foreach (var problem in help.Examples.SelectMany(e => CheckCode(e.Code, all, $"{file} ({e.Title})")))
        {
            yield return problem;
        }
    }

    /// <summary>Every -Parameter passed to one of our cmdlets in CODE must exist on it.</summary>
    public static IEnumerable<string> CheckCode(string code, IReadOnlyList<CmdletShape> all, string where)
    {
        foreach (var (command, parameter) in HelpExample.ParameterUses(code, all.Select(s => s.Name)))
        {
            var shape = all.Single(s => s.Name.Equals(command, StringComparison.OrdinalIgnoreCase));
            var known = shape.Parameters.Any(p => p.Name.Equals(parameter, StringComparison.OrdinalIgnoreCase))
                || CommonParameters.Contains(parameter, StringComparer.OrdinalIgnoreCase)
                || (shape.SupportsPaging && PagingParameters.Contains(parameter, StringComparer.OrdinalIgnoreCase));
            if (!known)
            {
                yield return $"{where}: {command} has no parameter -{parameter}";
            }
        }
    }
}
