using System.Reflection;
using System.Runtime.Loader;

namespace IcaPowerShell.Loader
{
    /// <summary>
    /// Bridges the default context to the private one: when the cmdlet assembly first needs
    /// IcaPowerShell.Core, the default context fails to find it (it lives in Dependencies/) and
    /// asks here; we hand it the copy loaded in the private context. Nothing else is answered.
    /// </summary>
    public static class IsolatedLoader
    {
        public const string EngineAssemblyName = "IcaPowerShell.Core";

        private static readonly object Gate = new object();
        private static DependencyLoadContext? context;

        /// <summary>Called by the cmdlet assembly's module initializer, through reflection.</summary>
        public static void Install(string dependenciesFolder)
        {
            lock (Gate)
            {
                if (context != null)
                {
                    return;
                }

                context = new DependencyLoadContext(dependenciesFolder);
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        /// <summary>The context the engine lives in, for tests and diagnostics.</summary>
        public static AssemblyLoadContext? Context => context;

        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
            name.Name == EngineAssemblyName ? context?.LoadFromAssemblyName(name) : null;
    }
}
