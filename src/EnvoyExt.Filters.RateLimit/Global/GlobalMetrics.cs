using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>Counters of Global rules (labels "policy", "rule"): waits for a lease, and Redis failures by mode.</summary>
internal sealed class GlobalMetrics(CounterId leaseWaits, CounterId failOpen, CounterId failClosed)
{
    /// <summary>Requests that found no leased token and waited for Redis.</summary>
    public CounterId LeaseWaits { get; } = leaseWaits;

    /// <summary>Redis failed (down, slow, queue full) and the rule fell back to its local limit.</summary>
    public CounterId FailOpen { get; } = failOpen;

    /// <summary>Redis failed and the request was refused with the failure status.</summary>
    public CounterId FailClosed { get; } = failClosed;

    public static GlobalMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new GlobalMetrics(
            metrics.DefineCounter("rate_limit_global_lease_waits", "policy", "rule"),
            metrics.DefineCounter("rate_limit_global_fail_open", "policy", "rule"),
            metrics.DefineCounter("rate_limit_global_fail_closed", "policy", "rule"));
    }
}
