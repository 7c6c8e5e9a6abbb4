using System.Text.RegularExpressions;

namespace IcaPowerShell.HelpBuilder;

/// <summary>One docs/help/&lt;Cmdlet&gt;.md: headed sections, examples and parameter texts.</summary>
internal sealed class HelpSource
{
    public required string Name { get; init; }

    public required string Synopsis { get; init; }

    public required IReadOnlyList<string> Description { get; init; }

    public required IReadOnlyList<HelpExample> Examples { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public required IReadOnlyList<string> Links { get; init; }

    public static HelpSource Parse(string path)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        List<string>? current = null;
        var inCode = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (inCode || line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                current?.Add(line);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                name = line[2..].Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = sections[line[3..].Trim()] = new List<string>();
            }
            else
            {
                current?.Add(line);
            }
        }

        List<string> Section(string key) => sections.TryGetValue(key, out var lines) ? lines : throw new InvalidDataException($"{path}: no '## {key}' section.");
        return new HelpSource
        {
            Name = name ?? throw new InvalidDataException($"{path}: no '# Name' heading."),
            Synopsis = string.Join(" ", Paragraphs(Section("SYNOPSIS"))),
            Description = Paragraphs(Section("DESCRIPTION")),
            Examples = Subsections(Section("EXAMPLES")).Select(s => HelpExample.Parse(s.Title, s.Lines, path)).ToList(),
            Parameters = Subsections(Section("PARAMETERS")).ToDictionary(s => s.Title.TrimStart('-'), s => string.Join("\n\n", Paragraphs(s.Lines)), StringComparer.OrdinalIgnoreCase),
            Notes = sections.TryGetValue("NOTES", out var notes) ? Paragraphs(notes) : Array.Empty<string>(),
            Links = sections.TryGetValue("RELATED LINKS", out var links) ? links.Select(l => l.Trim().TrimStart('-', '*').Trim()).Where(l => l.Length > 0).ToList() : Array.Empty<string>(),
        };
    }

    /// <summary>Blank-line separated paragraphs, each joined into one line.</summary>
    public static IReadOnlyList<string> Paragraphs(IEnumerable<string> lines)
    {
        var result = new List<string>();
        var paragraph = new List<string>();
        foreach (var line in lines.Append(string.Empty))
        {
            if (line.Trim().Length == 0)
            {
                if (paragraph.Count > 0)
                {
                    result.Add(string.Join(" ", paragraph));
                    paragraph.Clear();
                }
            }
            else
            {
                paragraph.Add(line.Trim());
            }
        }

        return result;
    }

    private static IEnumerable<(string Title, List<string> Lines)> Subsections(List<string> lines)
    {
        (string Title, List<string> Lines)? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (current != null)
                {
                    yield return current.Value;
                }

                current = (line[4..].Trim(), new List<string>());
            }
            else
            {
                current?.Lines.Add(line);
            }
        }

        if (current != null)
        {
            yield return current.Value;
        }
    }
}

/// <summary>An example: a title, one fenced block of PowerShell, and the text after it.</summary>
internal sealed class HelpExample
{
    public required string Title { get; init; }

    public required string Code { get; init; }

    public required IReadOnlyList<string> Remarks { get; init; }

    public static HelpExample Parse(string title, List<string> lines, string path)
    {
        var start = lines.FindIndex(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        var end = start < 0 ? -1 : lines.FindIndex(start + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        if (start < 0 || end < 0)
        {
            throw new InvalidDataException($"{path}: example '{title}' has no fenced code block.");
        }

        return new HelpExample
        {
            Title = title,
            Code = string.Join("\n", lines.Skip(start + 1).Take(end - start - 1)),
            Remarks = HelpSource.Paragraphs(lines.Skip(end + 1)),
        };
    }

    /// <summary>
    /// The parameters the code passes to our commands: each -Name after a command, up to the end of
    /// its statement (a pipe, a semicolon, a line end without a backtick, or its closing parenthesis).
    /// Parameters of commands nested in parentheses belong to those commands, not to ours.
    /// </summary>
    public static IEnumerable<(string Command, string Parameter)> ParameterUses(string code, IEnumerable<string> commands)
    {
        var pattern = new Regex($@"(?<![\w-])({string.Join("|", commands.Select(Regex.Escape))})(?![\w-])", RegexOptions.IgnoreCase);
        foreach (Match use in pattern.Matches(code))
        {
            var depth = 0;
            for (var i = use.Index + use.Length; i < code.Length; i++)
            {
                var c = code[i];
                if (c == '(' || c == '{' || c == '[')
                {
                    depth++;
                }
                else if (c == ')' || c == '}' || c == ']')
                {
                    if (--depth < 0)
                    {
                        break;
                    }
                }
                else if (depth == 0 && (c == '|' || c == ';' || (c == '\n' && (i == 0 || code[i - 1] != '`'))))
                {
                    break;
                }
                else if (depth == 0 && c == '-' && char.IsWhiteSpace(code[i - 1]) && i + 1 < code.Length && char.IsLetter(code[i + 1]))
                {
                    var name = new string(code.Skip(i + 1).TakeWhile(ch => char.IsLetterOrDigit(ch) || ch == '_').ToArray());
                    yield return (use.Groups[1].Value, name);
                    i += name.Length;
                }
            }
        }
    }
}
