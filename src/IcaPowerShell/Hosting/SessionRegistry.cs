using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Hosting
{
    /// <summary>
    /// One engine session per runspace, as PSOpenAD keeps its state: parallel runspaces
    /// (ForEach-Object -Parallel, runbook jobs) never share tokens, and a session is collected
    /// with its runspace.
    /// </summary>
    internal static class SessionRegistry
    {
        private static readonly ConditionalWeakTable<Runspace, IcaSession> Sessions = new ConditionalWeakTable<Runspace, IcaSession>();
        private static readonly object NoRunspaceGate = new object();
        private static IcaSession? noRunspaceSession;

        public static IcaSession Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace != null)
                {
                    return Sessions.GetValue(runspace, _ => new IcaSession());
                }

                lock (NoRunspaceGate)
                {
                    return noRunspaceSession ?? (noRunspaceSession = new IcaSession());
                }
            }
        }
    }
}
