using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IcaPowerShell.Hosting
{
    /// <summary>
    /// Runs at Import-Module, before any cmdlet: it only teaches the runtime where the engine and
    /// its dependencies are (Dependencies/). It loads nothing and touches no profile file.
    /// This type must not mention an engine type: it runs before the engine can be found.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolution.Install();

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolution.Uninstall();
    }

    internal static class DependencyResolution
    {
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(typeof(DependencyResolution).Assembly.Location)!, "Dependencies");
        private static bool installedOnFramework;

        private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public static void Install()
        {
            if (IsNetFramework)
            {
                // Windows PowerShell 5.1 has no load contexts: answer failed binds for our own files only.
                if (!installedOnFramework)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveOnFramework;
                    installedOnFramework = true;
                }

                return;
            }

            var loader = Assembly.LoadFrom(Path.Combine(Folder, "IcaPowerShell.Loader.dll"));
            loader.GetType("IcaPowerShell.Loader.IsolatedLoader", throwOnError: true)!
                .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { Folder });
        }

        public static void Uninstall()
        {
            if (installedOnFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnFramework;
                installedOnFramework = false;
            }
        }

        private static Assembly? ResolveOnFramework(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            var path = Path.Combine(Folder, requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            var available = AssemblyName.GetAssemblyName(path);
            if (requested.Version != null && available.Version < requested.Version)
            {
                return null;
            }

            // LoadFile keeps our copy apart from a same-named assembly another module loaded.
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.Location, path, StringComparison.OrdinalIgnoreCase))
                ?? Assembly.LoadFile(path);
        }
    }
}
