using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Hosting;

namespace IcaPowerShell.Commands
{
    /// <summary>Tab completion of -Profile from the names in the profile file (-Path if already typed).</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                // Invoke-IcaRestMethod's -Path is the API path, not the profile file.
                var path = commandName == "Invoke-IcaRestMethod" ? null : fakeBoundParameters?["Path"] as string;
                var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                return SessionRegistry.Current.OpenStore(path).ReadAll()
                    .Select(p => p.Name)
                    .Where(n => n.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                    .OrderBy(n => n)
                    .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                    .ToList();
            }
            catch (IcaException)
            {
                // Completion must never throw at the user: a broken file shows up when the command runs.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
