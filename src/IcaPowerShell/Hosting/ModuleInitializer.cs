using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IcaPowerShell.Hosting
{
    /// <summary>
    /// Runs at Import-Module, before any cmdlet: it only teaches the runtime where the engine and
    /// its dependencies are (Dependencies/Core or Dependencies/Desktop). It loads nothing else and
    /// touches no profile file. This type must not mention an engine type: it runs before the
    /// engine can be found.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolution.Install();

        /// <summary>
        /// Nothing is undone: the engine stays loaded in the process (assemblies cannot be unloaded),
        /// other runspaces may still use the module, and a later import needs the same resolution.
        /// </summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
        }
    }

    /// <summary>Installs each edition's resolution once per process. No SMA type is used here, so tests can call it.</summary>
    internal static class DependencyResolution
    {
        private static readonly object Gate = new object();
        private static FrameworkResolver? frameworkResolver;

        private static string ModuleFolder => Path.GetDirectoryName(typeof(DependencyResolution).Assembly.Location)!;

        /// <summary>
        /// The .NET Framework (Windows PowerShell 5.1, and Mono in the tests) has mscorlib; .NET has
        /// System.Private.CoreLib. The name of the core library says which loader model we are in.
        /// </summary>
        public static bool IsNetFramework => typeof(object).Assembly.GetName().Name == "mscorlib";

        public static string DependencyFolder => Path.Combine(ModuleFolder, "Dependencies", IsNetFramework ? "Desktop" : "Core");

        public static void Install()
        {
            if (IsNetFramework)
            {
                lock (Gate)
                {
                    if (frameworkResolver == null)
                    {
                        frameworkResolver = new FrameworkResolver(DependencyFolder, typeof(DependencyResolution).Assembly.Location);
                        AppDomain.CurrentDomain.AssemblyResolve += frameworkResolver.Resolve;
                    }
                }

                return;
            }

            var loader = Assembly.LoadFrom(Path.Combine(DependencyFolder, "IcaPowerShell.Loader.dll"));
            loader.GetType("IcaPowerShell.Loader.IsolatedLoader", throwOnError: true)!
                .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { DependencyFolder });
        }
    }
}
