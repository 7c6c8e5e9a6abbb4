using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace IcaPowerShell.Hosting
{
    /// <summary>
    /// Windows PowerShell 5.1 has one AppDomain for every module and no load contexts, so the
    /// module's Desktop closure (Dependencies/Desktop) is served through AppDomain.AssemblyResolve,
    /// which the runtime raises for every failed bind in the process, other modules' included.
    /// This answers only for us, as Az.Accounts and daxian-dbw's samples do:
    /// - the requester is one of our assemblies (loaded from our folder, or the cmdlet assembly), or
    /// - the request is exactly one of our files, whoever asks (the runtime does not always say):
    ///   same name, same public key token, same major version, not newer than ours.
    /// It never serves a version older than the one asked for, and never throws: an exception from
    /// a resolver fails the bind of whoever asked, another module's included.
    /// Our copy is loaded with LoadFile, so it lives beside another module's copy of the same name.
    /// </summary>
    internal sealed class FrameworkResolver
    {
        private readonly string folder;
        private readonly string cmdletAssemblyPath;
        private readonly Dictionary<string, Assembly> loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, AssemblyName> identities = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);

        public FrameworkResolver(string folder, string cmdletAssemblyPath)
        {
            this.folder = Path.GetFullPath(folder);
            this.cmdletAssemblyPath = Path.GetFullPath(cmdletAssemblyPath);
        }

        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            try
            {
                return Resolve(args.Name, args.RequestingAssembly);
            }
            catch (Exception)
            {
                // A bad name, an unreadable file, a bad image: not ours to answer, never a crash.
                return null;
            }
        }

        public Assembly? Resolve(string requestedName, Assembly? requester)
        {
            var requested = new AssemblyName(requestedName);
            if (string.IsNullOrEmpty(requested.Name) || requested.Name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                return null;
            }

            var path = Path.Combine(folder, requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            AssemblyName ours;
            lock (identities)
            {
                // Every failed bind in the process comes here: each of our files is read once.
                if (!identities.TryGetValue(path, out ours!))
                {
                    ours = AssemblyName.GetAssemblyName(path);
                    identities[path] = ours;
                }
            }

            var answer = (requester != null && IsOurs(requester)) || IsExactlyOurs(requested, ours);
            if (!answer || (requested.Version != null && ours.Version < requested.Version))
            {
                return null;
            }

            lock (loaded)
            {
                if (!loaded.TryGetValue(path, out var assembly))
                {
                    assembly = Assembly.LoadFile(path);
                    loaded[path] = assembly;
                }

                return assembly;
            }
        }

        private bool IsOurs(Assembly requester)
        {
            if (requester.IsDynamic || string.IsNullOrEmpty(requester.Location))
            {
                return false;
            }

            var location = Path.GetFullPath(requester.Location);
            return string.Equals(location, cmdletAssemblyPath, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Path.GetDirectoryName(location), folder, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Same name, same public key token (none for none), same major, ours at least as new.</summary>
        internal static bool IsExactlyOurs(AssemblyName requested, AssemblyName ours)
        {
            if (!string.Equals(requested.Name, ours.Name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var requestedToken = requested.GetPublicKeyToken() ?? new byte[0];
            var ourToken = ours.GetPublicKeyToken() ?? new byte[0];
            if (requestedToken.Length != ourToken.Length)
            {
                return false;
            }

            for (var i = 0; i < ourToken.Length; i++)
            {
                if (requestedToken[i] != ourToken[i])
                {
                    return false;
                }
            }

            return requested.Version == null || ours.Version == null
                || (requested.Version.Major == ours.Version.Major && requested.Version <= ours.Version);
        }
    }
}
