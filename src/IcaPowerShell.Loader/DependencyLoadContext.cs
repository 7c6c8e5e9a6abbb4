using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IcaPowerShell.Loader
{
    /// <summary>
    /// The module's private load context. It serves the engine and its third-party dependencies
    /// from the Dependencies folder, so another module's YamlDotNet or Microsoft.Extensions.* in
    /// the default context never meets ours. Assemblies of the shared .NET framework are left to
    /// the default context when the runtime's copy is at least as new: our netstandard2.0
    /// polyfills (System.Memory and the like) must not shadow the runtime's own types. Only
    /// System.* names qualify; pwsh is a self-contained app whose folder also holds its own
    /// third-party assemblies, and those are exactly what we must not bind to.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string folder;
        private readonly Lazy<Dictionary<string, string>> frameworkAssemblies = new Lazy<Dictionary<string, string>>(ListFrameworkAssemblies);

        public DependencyLoadContext(string folder)
            : base("IcaPowerShell", isCollectible: false)
        {
            this.folder = folder;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            if (name.Name!.StartsWith("System.", StringComparison.Ordinal)
                && frameworkAssemblies.Value.TryGetValue(name.Name, out var frameworkPath)
                && AssemblyName.GetAssemblyName(frameworkPath).Version >= (name.Version ?? new Version(0, 0)))
            {
                return null;
            }

            return LoadFromAssemblyPath(path);
        }

        /// <summary>
        /// The runtime folder's assemblies by name. Only paths: reading each one's version would open
        /// some two hundred files at import; the version is read for the few names actually asked for.
        /// </summary>
        private static Dictionary<string, string> ListFrameworkAssemblies()
        {
            var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(Path.GetDirectoryName(path), runtimeFolder, StringComparison.OrdinalIgnoreCase))
                {
                    result[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }

            return result;
        }
    }
}
