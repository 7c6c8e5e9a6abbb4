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
    /// </summary>
    internal static class HttpClientProvider
    {
        private static readonly ConcurrentDictionary<string, Lazy<IHttpClientFactory>> Factories = new ConcurrentDictionary<string, Lazy<IHttpClientFactory>>();

        public static HttpClient Create(ProxySelection? proxy)
        {
            var name = proxy?.Description ?? "system-proxy";
            var factory = Factories.GetOrAdd(name, _ => new Lazy<IHttpClientFactory>(() => BuildFactory(name, proxy))).Value;
            var client = factory.CreateClient(name);

            // The per-attempt timeout is ours (a CancellationToken); the client's own must not cut in first.
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            return client;
        }

        private static IHttpClientFactory BuildFactory(string name, ProxySelection? proxy)
        {
            var services = new ServiceCollection();
            services.AddHttpClient(name)
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = false,
                    UseProxy = true,
                    Proxy = proxy,
                    DefaultProxyCredentials = CredentialCache.DefaultCredentials,
                })
                .SetHandlerLifetime(TimeSpan.FromMinutes(5))
                .RemoveAllLoggers(); // nothing listens, and no request line should ever reach a log
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }
    }
}
