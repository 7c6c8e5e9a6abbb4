using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// One IHttpClientFactory per process: handlers are pooled across runspaces and recycled every
    /// few minutes, so DNS changes are seen and sockets are not exhausted by parallel jobs. Each
    /// distinct proxy choice gets its own named client, registered the first time it is seen.
    /// Every client is the same pipeline: retry, then bearer, then diagnostics, then the network
    /// (see each handler for why it sits where it does). Send through <see cref="HttpCall.SendAsync"/>.
    /// </summary>
    internal static class HttpClientProvider
    {
        private static readonly ConcurrentDictionary<string, Lazy<IHttpClientFactory>> Factories = new ConcurrentDictionary<string, Lazy<IHttpClientFactory>>();

        /// <param name="direct">No proxy at all, not even the system's: for plain http to loopback.</param>
        public static HttpClient Create(ProxySelection? proxy, bool direct = false)
        {
            var name = direct ? "direct" : proxy?.Description ?? "system-proxy";
            var factory = Factories.GetOrAdd(name, _ => new Lazy<IHttpClientFactory>(() => BuildFactory(name, proxy, direct))).Value;
            var client = FrameworkHttp.Configure(factory.CreateClient(name));

            // The per-attempt timeout is the retry handler's (a CancellationToken); the client's own must not cut in first.
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            return client;
        }

        private static IHttpClientFactory BuildFactory(string name, ProxySelection? proxy, bool direct)
        {
            var services = new ServiceCollection();
            services.AddHttpClient(name)
                .AddHttpMessageHandler(() => new RetryHandler())
                .AddHttpMessageHandler(() => new BearerHandler())
                .AddHttpMessageHandler(() => new DiagnosticsHandler())
                .ConfigurePrimaryHttpMessageHandler(() => CreatePrimaryHandler(proxy, direct))
                .SetHandlerLifetime(TimeSpan.FromMinutes(5))
                .RemoveAllLoggers(); // nothing listens, and no request line should ever reach a log
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }

        /// <summary>
        /// The handler that talks to the network. The pooled handler serves every runspace and
        /// identity of the process, so it keeps no cookies: one user's Set-Cookie must never ride
        /// along with another's token request. Redirects are off: a token is never sent elsewhere.
        /// </summary>
        internal static HttpClientHandler CreatePrimaryHandler(ProxySelection? proxy, bool direct) => FrameworkHttp.Configure(new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = !direct,
            Proxy = direct ? null : proxy,
            DefaultProxyCredentials = CredentialCache.DefaultCredentials,
        });
    }
}
