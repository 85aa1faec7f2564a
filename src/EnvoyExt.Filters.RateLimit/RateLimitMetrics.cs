using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Global;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>The filter's counters (labels "policy", "rule"), defined once per filter config.</summary>
internal sealed class RateLimitMetrics(CounterId allowed, CounterId limited, CounterId shadowLimited, CounterId distinctEvictions,
    GlobalMetrics global, CounterId responseCostInvalid)
{
    public CounterId Allowed { get; } = allowed;

    public CounterId Limited { get; } = limited;

    public CounterId ShadowLimited { get; } = shadowLimited;

    public CounterId DistinctEvictions { get; } = distinctEvictions;

    public GlobalMetrics Global { get; } = global;

    /// <summary>Responses whose cost (<c>costFrom</c>) was missing or not a non-negative integer: nothing extra was charged.</summary>
    public CounterId ResponseCostInvalid { get; } = responseCostInvalid;

    public static RateLimitMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new RateLimitMetrics(
            metrics.DefineCounter("rate_limit_allowed", "policy", "rule"),
            metrics.DefineCounter("rate_limit_limited", "policy", "rule"),
            metrics.DefineCounter("rate_limit_shadow_limited", "policy", "rule"),
            metrics.DefineCounter("rate_limit_distinct_evictions", "policy", "rule"),
            GlobalMetrics.Define(context),
            metrics.DefineCounter("rate_limit_response_cost_invalid", "policy", "rule"));
    }
}
