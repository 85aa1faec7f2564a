namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// Envoy's retry policy of a route (HTTPRoute <c>retry</c>, TrafficPolicy <c>retry</c>). Durations in
/// milliseconds; null leaves Envoy's default.
/// </summary>
/// <param name="RetryOn">Envoy retry conditions ("5xx", "connect-failure", "retriable-status-codes", ...), in order.</param>
/// <param name="NumRetries">Retries after the first attempt.</param>
/// <param name="PerTryTimeoutMs">One attempt's timeout.</param>
/// <param name="BackoffBaseMs">The exponential back-off's base interval.</param>
/// <param name="BackoffMaxMs">The back-off's cap; Envoy's default is ten times the base.</param>
/// <param name="RetriableStatusCodes">The codes the "retriable-status-codes" condition retries on.</param>
public sealed record IrRetry(
    IReadOnlyList<string> RetryOn,
    int? NumRetries,
    long? PerTryTimeoutMs,
    long? BackoffBaseMs,
    long? BackoffMaxMs,
    IReadOnlyList<int> RetriableStatusCodes);

/// <summary>
/// Envoy's circuit breaker thresholds of a cluster (default priority); null leaves Envoy's default (1024).
/// </summary>
public sealed record IrCircuitBreakers(int? MaxConnections, int? MaxPendingRequests, int? MaxRequests, int? MaxRetries)
{
    /// <summary>
    /// The stricter value of each threshold: a cluster reached by routes with different circuit breakers
    /// gets the smallest limit any of them asks for, so no route's limit is exceeded.
    /// </summary>
    public IrCircuitBreakers Strictest(IrCircuitBreakers other) => new(
        Min(MaxConnections, other.MaxConnections),
        Min(MaxPendingRequests, other.MaxPendingRequests),
        Min(MaxRequests, other.MaxRequests),
        Min(MaxRetries, other.MaxRetries));

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
