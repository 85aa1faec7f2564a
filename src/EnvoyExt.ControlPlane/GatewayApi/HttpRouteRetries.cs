using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// HTTPRoute rule <c>retry</c> (GEP-1731) as Envoy's retry policy: a backend connection that fails or
/// a stream the backend refuses is always retried, a response with one of <c>codes</c> too;
/// <c>attempts</c> is the number of retries, <c>backoff</c> the exponential back-off's base interval.
/// </summary>
internal static class HttpRouteRetries
{
    /// <summary>Most status codes one rule may list.</summary>
    public const int MaxCodes = 16;

    /// <summary>Most retries one rule may ask for (the same cap as TrafficPolicy's).</summary>
    public const int MaxAttempts = 16;

    private static readonly string[] ConnectionErrors = ["connect-failure", "refused-stream"];

    public static IrRetry? Translate(HttpRouteRetry? retry, string field, RouteProblems problems)
    {
        if (retry is null)
        {
            return null;
        }

        if (retry.Codes.Count > MaxCodes)
        {
            problems.Unsupported($"{field}.codes: at most {MaxCodes} codes (got {retry.Codes.Count})");
            return null;
        }

        for (var i = 0; i < retry.Codes.Count; i++)
        {
            if (retry.Codes[i] is < 400 or > 599)
            {
                problems.Unsupported($"{field}.codes[{i}]: must be between 400 and 599 (got {retry.Codes[i]})");
                return null;
            }
        }

        if (retry.Attempts is < 0 or > MaxAttempts)
        {
            problems.Unsupported($"{field}.attempts: must be between 0 and {MaxAttempts} (got {retry.Attempts})");
            return null;
        }

        long? backoff = null;
        if (retry.Backoff is { } text)
        {
            backoff = GatewayDurations.TryParseMs(text, out var error);
            if (error is not null || backoff == 0)
            {
                problems.Unsupported($"{field}.backoff: {error ?? "must be longer than 0s"}");
                return null;
            }
        }

        var codes = retry.Codes.Distinct().ToList();
        IReadOnlyList<string> conditions = codes.Count == 0 ? ConnectionErrors : [.. ConnectionErrors, "retriable-status-codes"];
        return new IrRetry(conditions, retry.Attempts, null, backoff, null, codes);
    }
}
