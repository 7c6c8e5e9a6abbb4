using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FakeIca;

/// <summary>
/// Lets a test in another process (Pester) steer the fake server over HTTP: queue faults, change
/// the token lifetime or tenant, read and reset the counters. Under /_fake/, which ICA never uses.
/// </summary>
internal static class ControlPlane
{
    public const string Prefix = "/_fake/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static async Task HandleAsync(FakeIcaServer server, HttpContext context)
    {
        var request = context.Request;
        switch (request.Method, request.Path.Value)
        {
            case ("GET", "/_fake/stats"):
                await context.Response.WriteAsJsonAsync(
                    new { server.TokenRequests, server.RefreshRequests, server.ProxiedRequests, server.ProxyAuthorized, server.ApiRequests, server.PageRequests, server.CookieRequests },
                    Json);
                return;
            case ("POST", "/_fake/faults"):
                var faults = await JsonSerializer.DeserializeAsync<FaultRequest[]>(request.Body, Json) ?? [];
                server.Enqueue(faults.Select(f => f.ToFault()).ToArray());
                context.Response.StatusCode = 204;
                return;
            case ("POST", "/_fake/settings"):
                var settings = await JsonSerializer.DeserializeAsync<SettingsRequest>(request.Body, Json);
                if (settings?.TokenLifetimeSeconds is int seconds)
                {
                    server.TokenLifetime = TimeSpan.FromSeconds(seconds);
                }

                if (settings?.Tenant is string tenant)
                {
                    server.Tenant = tenant;
                }

                if (settings?.ProxyUser is string proxyUser && settings.ProxyPassword is string proxyPassword)
                {
                    server.ProxyCredentials = (proxyUser, proxyPassword);
                }

                if (settings?.ProjectCount is int count)
                {
                    server.Api.Reset(count);
                }

                if (settings?.PageDelayMilliseconds is int pageDelay)
                {
                    server.Api.PageDelay = TimeSpan.FromMilliseconds(pageDelay);
                }

                if (settings?.ChunkDelayMilliseconds is int chunkDelay)
                {
                    server.Api.ChunkDelay = TimeSpan.FromMilliseconds(chunkDelay);
                }

                if (settings?.FileBytes is int bytes)
                {
                    server.Api.FileBytes = bytes;
                }

                if (settings?.SetCookie is bool cookie)
                {
                    server.SetCookie = cookie;
                }

                if (settings?.RefuseAllTokens is bool refuse)
                {
                    server.Api.RefuseAllTokens = refuse;
                }

                if (settings?.StandingFault is FaultRequest standing)
                {
                    server.StandingFault = standing.ToFault();
                }
                else if (settings?.ClearStandingFault == true)
                {
                    server.StandingFault = null;
                }

                context.Response.StatusCode = 204;
                return;
            case ("GET", "/_fake/last"):
                await context.Response.WriteAsJsonAsync(server.Api.LastRequest, Json);
                return;
            case ("POST", "/_fake/revoke"):
                server.Api.RevokeIssuedTokens();
                context.Response.StatusCode = 204;
                return;
            case ("POST", "/_fake/reset"):
                server.Reset();
                context.Response.StatusCode = 204;
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private sealed record FaultRequest(FaultKind Kind, int? RetryAfterSeconds, int? DelayMilliseconds)
    {
        public Fault ToFault() => new(Kind, RetryAfterSeconds, DelayMilliseconds is int ms ? TimeSpan.FromMilliseconds(ms) : null);
    }

    private sealed record SettingsRequest(int? TokenLifetimeSeconds, string? Tenant, FaultRequest? StandingFault, bool? ClearStandingFault, string? ProxyUser, string? ProxyPassword, int? ProjectCount, int? PageDelayMilliseconds, int? ChunkDelayMilliseconds, int? FileBytes, bool? RefuseAllTokens, bool? SetCookie);
}
