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

    /// <summary>Completes -Method with the methods ICA declares for the -Path already typed (all five without one).</summary>
    public sealed class ApiMethodCompleter : IArgumentCompleter
    {
        private static readonly string[] All = { "Get", "Post", "Put", "Delete", "Patch" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var path = fakeBoundParameters?["Path"] as string;
            var declared = path == null ? All : IcaApiTable.Methods(path.TrimStart('/')).Select(m => All.First(a => a.Equals(m, System.StringComparison.OrdinalIgnoreCase))).ToArray();
            return declared.Where(m => m.StartsWith(wordToComplete ?? string.Empty, System.StringComparison.OrdinalIgnoreCase))
                .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
        }
    }
}
