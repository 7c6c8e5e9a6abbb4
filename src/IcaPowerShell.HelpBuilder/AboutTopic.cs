using System.Text;

namespace IcaPowerShell.HelpBuilder;

/// <summary>about_IcaPowerShell.help.txt from its markdown: headings upper-cased, text indented, as about topics are.</summary>
internal static class AboutTopic
{
    public static string FromMarkdown(string path)
    {
        var text = new StringBuilder();
        var inCode = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (!inCode && line.StartsWith("#", StringComparison.Ordinal))
            {
                var heading = line.TrimStart('#').Trim();
                text.AppendLine(line.StartsWith("# ", StringComparison.Ordinal) ? "TOPIC" : heading.ToUpperInvariant());
                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    text.AppendLine("    " + heading);
                }

                continue;
            }

            text.AppendLine(line.Length == 0 ? string.Empty : (inCode ? "        " : "    ") + line.Replace("`", string.Empty));
        }

        return text.ToString();
    }
}
