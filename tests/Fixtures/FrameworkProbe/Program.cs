using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using IcaPowerShell.Core.Session;

namespace FrameworkProbe
{
    /// <summary>
    /// FrameworkProbe MODULEFOLDER ours-first|others-first SERVERURL OTHERMODULE.dll...
    /// The API key comes from ICAPOWERSHELL_PROBE_KEY. Prints lines "side|owner|name|version|location".
    /// </summary>
    internal static class Program
    {
        private static readonly string[] Shared = { "YamlDotNet", "System.Diagnostics.DiagnosticSource", "System.Memory" };

        private static int Main(string[] args)
        {
            var moduleFolder = args[0];
            var oursFirst = args[1] == "ours-first";
            var others = args.Skip(3).ToArray();
            if (!oursFirst)
            {
                LoadOthers(others);
            }

            var cmdlets = Assembly.LoadFrom(Path.Combine(moduleFolder, "IcaPowerShell.dll"));
            var install = cmdlets.GetType("IcaPowerShell.Hosting.DependencyResolution", throwOnError: true)!
                .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!;
            // OnImport in two runspaces: the resolver is installed once.
            install.Invoke(null, null);
            install.Invoke(null, null);
            Console.WriteLine("token|" + Engine.Mint(args[2], Environment.GetEnvironmentVariable("ICAPOWERSHELL_PROBE_KEY")!));

            if (oursFirst)
            {
                LoadOthers(others);
            }

            var desktop = Path.Combine(moduleFolder, "Dependencies", "Desktop");
            foreach (var ours in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && Path.GetDirectoryName(a.Location) == Path.GetFullPath(desktop)))
            {
                foreach (var name in Shared)
                {
                    if (BoundBy(ours, name) is Assembly bound)
                    {
                        Console.WriteLine($"ours|{ours.GetName().Name}|{bound.GetName().Name}|{bound.GetName().Version}|{bound.Location}");
                    }
                }
            }

            return 0;
        }

        private static void LoadOthers(IEnumerable<string> paths)
        {
            foreach (var path in paths)
            {
                // As Import-Module loads a binary module: LoadFrom, its dependencies beside it.
                var other = Assembly.LoadFrom(path);
                var lines = (string[])other.GetType("OtherModule.Probe", throwOnError: true)!.GetMethod("Describe")!.Invoke(null, null)!;
                foreach (var line in lines)
                {
                    Console.WriteLine($"other|{other.GetName().Name}|{line}");
                }
            }
        }

        /// <summary>The copy of NAME that OWNER's own signatures bound to: a bind made on OWNER's behalf.</summary>
        private static Assembly? BoundBy(Assembly owner, string name)
        {
            Type?[] types;
            try
            {
                types = owner.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types;
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var type in types.Where(t => t != null))
            {
                IEnumerable<Type> used;
                try
                {
                    used = new[] { type!.BaseType }.Concat(type.GetInterfaces())
                        .Concat(type.GetFields(all).Select(f => f.FieldType))
                        .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                        .Where(t => t != null)
                        .SelectMany(t => t!.IsGenericType ? t.GetGenericArguments().Append(t) : new[] { t! })
                        .ToList();
                }
                catch (Exception)
                {
                    continue;
                }

                var hit = used.FirstOrDefault(t => t.Assembly.GetName().Name == name);
                if (hit != null)
                {
                    return hit.Assembly;
                }
            }

            return null;
        }
    }

    /// <summary>Engine code: compiled against IcaPowerShell.Core, which only the module's resolver can supply.</summary>
    internal static class Engine
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string Mint(string url, string apiKey)
        {
            // The key and server as a pipeline passes them (ICAV2_X_API_KEY, ICAV2_SERVER_URL): Mono
            // cannot run the engine's Unix file creation (its FileStream cannot wrap a descriptor).
            var home = Path.Combine(Path.GetTempPath(), "IcaPowerShell.FrameworkProbe", Guid.NewGuid().ToString("N"));
            var variables = new Variables(new Dictionary<string, string> { ["ICAV2_X_API_KEY"] = apiKey, ["ICAV2_SERVER_URL"] = url });
            var session = new IcaSession(new IcaSessionOptions { Environment = variables, HomeFolder = () => home, AllowDpapi = false });
            var token = session.GetToken(new TokenRequest());
            return $"{token.Source}|{token.Tenant}|{typeof(IcaSession).Assembly.Location}";
        }

        private sealed class Variables : IcaPowerShell.Core.Configuration.IEnvironment
        {
            private readonly Dictionary<string, string> values;

            public Variables(Dictionary<string, string> values) => this.values = values;

            public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
        }
    }
}
