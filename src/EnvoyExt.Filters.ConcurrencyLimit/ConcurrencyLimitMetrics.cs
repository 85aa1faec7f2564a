using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>The filter's metrics (label "limiter"; the rejection counter also "reason"), defined once per filter config.</summary>
internal sealed class ConcurrencyLimitMetrics(GaugeId inFlight, GaugeId queued, CounterId rejected)
{
    public GaugeId InFlight { get; } = inFlight;

    public GaugeId Queued { get; } = queued;

    public CounterId Rejected { get; } = rejected;

    public static ConcurrencyLimitMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new ConcurrencyLimitMetrics(
            metrics.DefineGauge("concurrency_limit_in_flight", "limiter"),
            metrics.DefineGauge("concurrency_limit_queued", "limiter"),
            metrics.DefineCounter("concurrency_limit_rejected", "limiter", "reason"));
    }
}
