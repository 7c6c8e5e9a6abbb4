using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>Completes -Path from ICA's own operations (the compiled table): type projects/, press Tab.</summary>
    public sealed class ApiPathCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"').TrimStart('/');
            foreach (var prefix in new[] { "ica/rest/api/", "api/" })
            {
                if (typed.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                {
                    typed = typed.Substring(prefix.Length);
                }
            }

            return IcaApiTable.Templates(typed).Take(200).Select(t => new CompletionResult(t.Contains("{") ? $"'{t}'" : t, t, CompletionResultType.ParameterValue, "/api/" + t));
        }
    }

    /// <summary>
    /// Completes -Method with the methods ICA declares for the -Path already typed (all five
    /// without one). The first position also takes a lone path ("Invoke-IcaRestMethod projects"),
    /// so with no -Path yet, a word that starts no method completes as a path.
    /// </summary>
    public sealed class ApiMethodCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = wordToComplete ?? string.Empty;
            var path = fakeBoundParameters?["Path"] as string;
            var declared = path == null
                ? RequestLine.Methods
                : IcaApiTable.Methods(path.TrimStart('/')).Select(m => RequestLine.Methods.First(a => a.Equals(m, System.StringComparison.OrdinalIgnoreCase))).ToArray();
            var methods = declared.Where(m => m.StartsWith(typed, System.StringComparison.OrdinalIgnoreCase)).ToList();
            if (path == null && methods.Count == 0)
            {
                return new ApiPathCompleter().CompleteArgument(commandName, "Path", typed, commandAst, fakeBoundParameters!);
            }

            return methods.Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
        }
    }

}
