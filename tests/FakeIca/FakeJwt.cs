using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FakeIca;

/// <summary>Real JWTs (header.payload.signature, base64url, HS256) carrying the claims ICA's tokens carry.</summary>
public static class FakeJwt
{
    public static string Create(byte[] signingKey, DateTimeOffset issuedAt, TimeSpan lifetime, string subject, string tenant, string kind)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = (issuedAt + lifetime).ToUnixTimeSeconds(),
            ["sub"] = subject,
            ["aud"] = new[] { "ica" },
            ["tns"] = tenant,
            ["tid"] = "tid-" + tenant,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["ica_kind"] = kind,
        }));
        return $"{header}.{payload}.{Sign(signingKey, header, payload)}";
    }

    /// <summary>The payload of a token this server signed, or null when the signature is wrong.</summary>
    public static JsonElement? Verify(byte[] signingKey, string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || Sign(signingKey, parts[0], parts[1]) != parts[2])
        {
            return null;
        }

        return JsonDocument.Parse(Decode(parts[1])).RootElement.Clone();
    }

    private static string Sign(byte[] key, string header, string payload) =>
        Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(header + "." + payload)));

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - base64.Length % 4) % 4), '='));
    }
}
