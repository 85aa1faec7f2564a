using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>The filter's metrics (label "limiter"; the rejection counter also "reason"), defined once per filter config.</summary>
internal sealed class ConcurrencyLimitMetrics(GaugeId inFlight, GaugeId queued, CounterId rejected, GaugeId limit, GaugeId minRttMicros)
{
    public GaugeId InFlight { get; } = inFlight;

    public GaugeId Queued { get; } = queued;

    public CounterId Rejected { get; } = rejected;

    /// <summary>Adaptive limits: the limit after each recalculation.</summary>
    public GaugeId Limit { get; } = limit;

    /// <summary>Adaptive limits: the last minimum latency measured, in microseconds.</summary>
    public GaugeId MinRttMicros { get; } = minRttMicros;

    public static ConcurrencyLimitMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new ConcurrencyLimitMetrics(
            metrics.DefineGauge("concurrency_limit_in_flight", "limiter"),
            metrics.DefineGauge("concurrency_limit_queued", "limiter"),
            metrics.DefineCounter("concurrency_limit_rejected", "limiter", "reason"),
            metrics.DefineGauge("concurrency_limit_limit", "limiter"),
            metrics.DefineGauge("concurrency_limit_min_rtt_us", "limiter"));
    }
}
