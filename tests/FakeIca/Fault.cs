namespace FakeIca;

/// <summary>A way for the fake server to misbehave on one request.</summary>
public enum FaultKind
{
    /// <summary>No fault: the request is answered as usual (a place in the queue, so a later request gets the next fault).</summary>
    None,
    Unauthorized,
    Forbidden,
    TooManyRequests,
    InternalServerError,
    BadGateway,
    ServiceUnavailable,
    GatewayTimeout,
    Slow,
    TruncatedJson,
    HtmlPage,
    NotAJwt,
    ConnectionReset,
    ResetMidBody,
    EchoApiKey,
    EchoAuthorization,
    EchoTokenBase64,
    EchoInReason,
    EchoSecrets,
}

/// <summary>One injected fault. <see cref="RetryAfterSeconds"/> goes with 429; <see cref="Delay"/> with Slow.</summary>
public sealed record Fault(FaultKind Kind, int? RetryAfterSeconds = null, TimeSpan? Delay = null)
{
    public override string ToString() => Kind switch
    {
        FaultKind.TooManyRequests when RetryAfterSeconds is int s => $"429 Retry-After {s}",
        FaultKind.Slow when Delay is TimeSpan d => $"slow {d.TotalMilliseconds:0} ms",
        _ => Kind.ToString(),
    };
}
