using System;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// The ICA server a profile talks to. Users write it as icav2 does ("ica.illumina.com") or as a
    /// URL. Plain http is accepted for loopback hosts only (the fake server, local proxies), so a
    /// typo can never send an API key over the network unencrypted.
    /// </summary>
    public sealed class ServerAddress : IEquatable<ServerAddress>
    {
        public const string DefaultHost = "ica.illumina.com";

        public static readonly ServerAddress Default = Parse(DefaultHost);

        private ServerAddress(Uri baseUri, string display)
        {
            BaseUri = baseUri;
            Display = display;
        }

        /// <summary>Scheme, host and port, ending in '/'.</summary>
        public Uri BaseUri { get; }

        /// <summary>The form stored in the profile: a bare host for https on port 443, else the URL.</summary>
        public string Display { get; }

        public Uri TokensUri => new Uri(BaseUri, "ica/rest/api/tokens");

        public Uri RefreshUri => new Uri(BaseUri, "ica/rest/api/tokens:refresh");

        public static ServerAddress Parse(string? text, string parameterName = "ServerUrl")
        {
            var trimmed = (text ?? string.Empty).Trim();
            if (trimmed.Length == 0)
            {
                throw Invalid(parameterName, "The server URL is empty.");
            }

            var withScheme = trimmed.Contains("://") ? trimmed : "https://" + trimmed;
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw Invalid(parameterName, $"'{Shown.Value(trimmed)}' is not a host name or URL.");
            }

            if (!trimmed.Contains("://") && !uri.IsDefaultPort && uri.IsLoopback)
            {
                // "localhost:5099" is most often a local http server (http is allowed only for
                // loopback, so only there is the scheme a real question); guessing https would
                // fail later with a TLS error that names neither the scheme nor the parameter.
                throw Invalid(parameterName, $"'{Shown.Value(trimmed)}' has a port but no scheme. Write the scheme: https://{Shown.Value(trimmed)} (or http://{Shown.Value(trimmed)} for a server on this machine).");
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                throw Invalid(parameterName, $"'{Shown.Value(trimmed)}' uses the scheme '{uri.Scheme}'; use https.");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                throw new IcaException(
                    ErrorIds.InsecureServer,
                    IcaErrorKind.SecurityError,
                    $"'{Shown.Value(trimmed)}' uses plain http, which would send the API key unencrypted. {Shown.Give(parameterName, "https://" + Shown.Value(uri.Authority))} (http is allowed only for localhost and 127.0.0.1).",
                    parameterName);
            }

            if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                throw Invalid(parameterName, $"'{Shown.Value(trimmed)}' has user information, a query or a fragment; give only the host, for example {DefaultHost}.");
            }

            var path = uri.AbsolutePath.TrimEnd('/');
            if (path.Length != 0 && !path.Equals("/ica/rest", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(parameterName, $"'{Shown.Value(trimmed)}' has the path '{uri.AbsolutePath}'; give only the host, for example {DefaultHost}.");
            }

            var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost.ToLowerInvariant();
            var baseUri = new Uri($"{uri.Scheme}://{host}:{uri.Port}/");
            var display = uri.Scheme == Uri.UriSchemeHttps && uri.Port == 443 ? host : $"{uri.Scheme}://{host}:{uri.Port}";
            return new ServerAddress(baseUri, display);
        }

        public bool Equals(ServerAddress? other) => other != null && BaseUri.Equals(other.BaseUri);

        public override bool Equals(object? obj) => Equals(obj as ServerAddress);

        public override int GetHashCode() => BaseUri.GetHashCode();

        public override string ToString() => Display;

        private static IcaException Invalid(string parameterName, string problem) =>
            new IcaException(
                ErrorIds.InvalidServerUrl,
                IcaErrorKind.InvalidArgument,
                $"{problem} {Shown.Give(parameterName, $"a host name such as {DefaultHost}, or an https:// URL")}.",
                parameterName);
    }
}
