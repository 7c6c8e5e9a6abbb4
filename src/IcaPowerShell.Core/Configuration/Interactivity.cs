using System;
using System.Collections.Generic;
using System.Linq;

namespace IcaPowerShell.Core.Configuration
{
    /// <summary>
    /// Decides whether a prompt could be answered. A prompt in a pipeline hangs the job until it
    /// times out, so anything that looks unattended counts as non-interactive: pwsh -NonInteractive
    /// (how Azure Pipelines starts it), CI variables, Azure Automation, or a process with no user.
    /// </summary>
    public static class Interactivity
    {
        private static readonly string[] CiFlags = { "TF_BUILD", "GITHUB_ACTIONS", "CI" };

        public static bool IsInteractive(IEnumerable<string> commandLine, IEnvironment environment, bool userInteractive)
        {
            return userInteractive
                && !commandLine.Any(IsNonInteractiveSwitch)
                && !CiFlags.Any(name => Switches.IsOn(environment.Get(name), whenUnset: false))
                && environment.Get("AUTOMATION_ASSET_ACCOUNTID") == null;
        }

        /// <summary>PowerShell accepts any prefix of -NonInteractive down to -noni, with '-' or '/'.</summary>
        private static bool IsNonInteractiveSwitch(string argument)
        {
            if (argument.Length < 5 || (argument[0] != '-' && argument[0] != '/'))
            {
                return false;
            }

            var name = argument.Substring(1);
            return name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase);
        }
    }
}
