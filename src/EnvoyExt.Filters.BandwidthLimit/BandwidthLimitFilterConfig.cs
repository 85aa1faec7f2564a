using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>The listener-level limiter and the metric ids; shared by every worker.</summary>
internal sealed class BandwidthLimitFilterConfig(BandwidthLimiter limiter, BandwidthLimitMetrics metrics) : HttpFilterConfig
{
    public BandwidthLimiter Limiter { get; } = limiter;

    public BandwidthLimitMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new BandwidthLimitFilter(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Limiter.Dispose();
        }
        base.Dispose(disposing);
    }
}
