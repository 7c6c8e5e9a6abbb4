using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// What the .NET Framework's HttpClient (Windows PowerShell 5.1) does differently from .NET's, set
    /// in one place where the primary handler is made, so both editions behave alike:
    /// - TLS: it follows ServicePointManager.SecurityProtocol, which in powershell.exe is often
    ///   Ssl3|Tls: TLS 1.2 is added (1.3 where Windows has it), nothing the user set is removed;
    /// - connections: 2 per server by default (parallel runspaces would queue inside the attempt
    ///   timeout): the handler gets .NET's unlimited default;
    /// - Expect: 100-continue on every request with a body: never sent (a round trip for nothing).
    /// On .NET these are already the defaults, and SecurityProtocol is left alone there.
    /// </summary>
    internal static class FrameworkHttp
    {
        private static readonly object Gate = new object();
        private static bool protocolsChecked;

        /// <summary>The .NET Framework, or Mono, which implements its networking.</summary>
        public static bool IsNetFramework => typeof(object).Assembly.GetName().Name == "mscorlib";

        /// <summary>TLS 1.3's value (SecurityProtocolType.Tls13 exists from .NET Framework 4.8 on).</summary>
        public const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        public static HttpClientHandler Configure(HttpClientHandler handler)
        {
            handler.MaxConnectionsPerServer = int.MaxValue;
            if (IsNetFramework)
            {
                EnsureModernTls();
            }

            return handler;
        }

        public static HttpClient Configure(HttpClient client)
        {
            client.DefaultRequestHeaders.ExpectContinue = false;
            return client;
        }

        /// <summary>Once per process: adds TLS 1.2 (and 1.3) to ServicePointManager, never removes a protocol.</summary>
        private static void EnsureModernTls()
        {
            lock (Gate)
            {
                if (protocolsChecked)
                {
                    return;
                }

                ServicePointManager.SecurityProtocol = WithModernTls(ServicePointManager.SecurityProtocol, OperatingSystemHasTls13());
                protocolsChecked = true;
            }
        }

        /// <summary>
        /// CURRENT plus TLS 1.2 (and 1.3 when the OS has it). SystemDefault (0) is kept: the OS then
        /// chooses, and on a Windows that has TLS 1.2 it offers it.
        /// </summary>
        public static SecurityProtocolType WithModernTls(SecurityProtocolType current, bool osHasTls13)
        {
            if (current == 0)
            {
                return current;
            }

            var result = current | SecurityProtocolType.Tls12;
            return osHasTls13 ? result | Tls13 : result;
        }

        /// <summary>Windows 11 and Server 2022 (build 20348) and later have TLS 1.3 in SChannel.</summary>
        private static bool OperatingSystemHasTls13() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            && Environment.OSVersion.Version.Major >= 10 && Environment.OSVersion.Version.Build >= 20348
            && Enum.IsDefined(typeof(SecurityProtocolType), Tls13);

        /// <summary>
        /// A failed TLS handshake, told apart from an unreachable server: .NET reports an
        /// AuthenticationException; the .NET Framework a WebException with SecureChannelFailure or
        /// TrustFailure ("Could not create SSL/TLS secure channel"). Null when FAILURE is not one.
        /// </summary>
        public static string? DescribeTlsFailure(Exception failure, string target)
        {
            for (var ex = failure; ex != null; ex = ex.InnerException)
            {
                var tls = ex is AuthenticationException
                    || (ex is WebException web && (web.Status == WebExceptionStatus.SecureChannelFailure || web.Status == WebExceptionStatus.TrustFailure));
                if (tls)
                {
                    return $"The TLS handshake with {target} failed ({ex.Message}). The server may require TLS 1.2 or later, which this machine's .NET does not offer, "
                        + "or its certificate is not trusted here (an inspecting proxy needs its root certificate installed). Retrying will not help.";
                }
            }

            return null;
        }
    }
}
