using IcaPowerShell.Core.Configuration;

namespace IcaPowerShell.Tests.Support;

/// <summary>Environment variables for one test, never the process's, which tests running in parallel share.</summary>
public sealed class TestEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public string? this[string name]
    {
        get => Get(name);
        set
        {
            if (value == null)
            {
                values.Remove(name);
            }
            else
            {
                values[name] = value;
            }
        }
    }

    public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
}
