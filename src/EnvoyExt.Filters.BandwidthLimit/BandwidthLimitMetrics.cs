using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>The filter's metrics (labels "limiter" and "direction"), defined once per filter config.</summary>
internal sealed class BandwidthLimitMetrics(CounterId bytes, CounterId held, GaugeId waiting)
{
    public static ReadOnlySpan<byte> RequestLabel => "request"u8;

    public static ReadOnlySpan<byte> ResponseLabel => "response"u8;

    public CounterId Bytes { get; } = bytes;

    public CounterId Held { get; } = held;

    public GaugeId Waiting { get; } = waiting;

    public static BandwidthLimitMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new BandwidthLimitMetrics(
            metrics.DefineCounter("bandwidth_limit_bytes", "limiter", "direction"),
            metrics.DefineCounter("bandwidth_limit_held", "limiter", "direction"),
            metrics.DefineGauge("bandwidth_limit_waiting", "limiter"));
    }
}
