using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// A per-route document: its own policy (with its own buckets) that replaces the listener-level one, or
/// <c>{"disabled": true}</c> (Policy is null).
/// </summary>
internal sealed class RouteRateLimitConfig(CompiledPolicy? policy)
{
    public CompiledPolicy? Policy { get; } = policy;

    public bool Disabled => Policy is null;
}
