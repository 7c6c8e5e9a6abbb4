using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using IcaPowerShell.Core.Configuration;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// A proxy chosen by the user: -Proxy, or HTTPS_PROXY/HTTP_PROXY with NO_PROXY. Windows
    /// PowerShell's .NET Framework ignores those variables and .NET reads them differently per
    /// platform, so the module applies them itself, with curl's rules, on every runtime. With none
    /// of them set the handler keeps the system proxy (Internet Options, or the runtime default).
    /// </summary>
    public sealed class ProxySelection : IWebProxy
    {
        private readonly Uri? httpsProxy;
        private readonly Uri? httpProxy;
        private readonly IReadOnlyList<string> bypass;

        private ProxySelection(Uri? httpsProxy, Uri? httpProxy, IReadOnlyList<string> bypass, NetworkCredential? credentials)
        {
            // The addresses keep no user information: the runtime puts the proxy's address into its
            // error messages, and a password must never be there. The credential is kept apart.
            this.httpsProxy = WithoutUserInfo(httpsProxy);
            this.httpProxy = WithoutUserInfo(httpProxy);
            this.bypass = bypass;
            Credentials = credentials;
            Password = credentials?.Password;
        }

        public ICredentials? Credentials { get; set; }

        /// <summary>The proxy password, for the redaction of messages; null when there is none.</summary>
        internal string? Password { get; }

        /// <summary>What identifies this choice, so that equal choices share one pooled handler.</summary>
        public string Description => $"https={httpsProxy}; http={httpProxy}; no_proxy={string.Join(",", bypass)}; auth={(Credentials is NetworkCredential c ? c.UserName + "/" + c.Password.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture) : "no")}";

        /// <summary>-Proxy, with -ProxyCredential or else the user information in its URL (never dropped).</summary>
        public static ProxySelection Explicit(Uri address, NetworkCredential? credential) =>
            new ProxySelection(address, address, Array.Empty<string>(), credential ?? CredentialsIn(address));

        /// <summary>An address for messages: http://***@host:port when it carries user information.</summary>
        public static string Display(Uri address) =>
            string.IsNullOrEmpty(address.UserInfo) ? address.GetLeftPart(UriPartial.Authority) : $"{address.Scheme}://***@{address.Authority}";

        /// <summary>The proxy named by the environment, or null when it names none.</summary>
        public static ProxySelection? FromEnvironment(IEnvironment environment)
        {
            var https = ParseProxy(environment.Get("HTTPS_PROXY") ?? environment.Get("https_proxy") ?? environment.Get("ALL_PROXY") ?? environment.Get("all_proxy"));
            var http = ParseProxy(environment.Get("HTTP_PROXY") ?? environment.Get("http_proxy") ?? environment.Get("ALL_PROXY") ?? environment.Get("all_proxy"));
            if (https == null && http == null)
            {
                return null;
            }

            var noProxy = (environment.Get("NO_PROXY") ?? environment.Get("no_proxy") ?? string.Empty)
                .Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Trim().TrimStart('*').TrimStart('.').ToLowerInvariant())
                .ToList();
            var withCredentials = https ?? http!;
            return new ProxySelection(https, http, noProxy, CredentialsIn(withCredentials));
        }

        public Uri GetProxy(Uri destination) =>
            (destination.Scheme == Uri.UriSchemeHttps ? httpsProxy : httpProxy) ?? destination;

        public bool IsBypassed(Uri host)
        {
            // Plain http is for loopback only, and goes direct: a proxy would see the key in clear text.
            if (host.Scheme == Uri.UriSchemeHttp || host.IsLoopback)
            {
                return true;
            }

            if ((host.Scheme == Uri.UriSchemeHttps ? httpsProxy : httpProxy) == null)
            {
                return true;
            }

            var name = host.IdnHost.ToLowerInvariant();
            return bypass.Any(entry => entry.Length == 0
                || name == entry
                || name.EndsWith("." + entry, StringComparison.Ordinal)
                || (host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) is string port && entry == name + ":" + port));
        }

        private static Uri? ParseProxy(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var withScheme = text!.Contains("://") ? text : "http://" + text;
            return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) ? uri : null;
        }

        private static Uri? WithoutUserInfo(Uri? address) =>
            address == null || string.IsNullOrEmpty(address.UserInfo) ? address : new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri;

        private static NetworkCredential? CredentialsIn(Uri proxy)
        {
            if (string.IsNullOrEmpty(proxy.UserInfo))
            {
                return null;
            }

            var parts = proxy.UserInfo.Split(new[] { ':' }, 2);
            return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }
    }
}
