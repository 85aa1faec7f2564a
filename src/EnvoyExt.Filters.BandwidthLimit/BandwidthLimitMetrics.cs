using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>The filter's metrics (labels "limiter" and "direction"), defined once per filter config.</summary>
internal sealed class BandwidthLimitMetrics(CounterId bytes, CounterId held, GaugeId waiting, HistogramId holdMs)
{
    public static ReadOnlySpan<byte> RequestLabel => "request"u8;

    public static ReadOnlySpan<byte> ResponseLabel => "response"u8;

    public CounterId Bytes { get; } = bytes;

    public CounterId Held { get; } = held;

    public GaugeId Waiting { get; } = waiting;

    /// <summary>How long each hold lasted, in milliseconds (the delay the filter added).</summary>
    public HistogramId HoldMs { get; } = holdMs;

    public static BandwidthLimitMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new BandwidthLimitMetrics(
            metrics.DefineCounter("bandwidth_limit_bytes", "limiter", "direction"),
            metrics.DefineCounter("bandwidth_limit_held", "limiter", "direction"),
            metrics.DefineGauge("bandwidth_limit_waiting", "limiter"),
            metrics.DefineHistogram("bandwidth_limit_hold_ms", "limiter"));
    }
}
