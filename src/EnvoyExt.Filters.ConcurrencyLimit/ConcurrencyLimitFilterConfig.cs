using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>The listener-level limiter and the metric ids; shared by every worker.</summary>
internal sealed class ConcurrencyLimitFilterConfig(ConcurrencyLimiter limiter, ConcurrencyLimitMetrics metrics) : HttpFilterConfig
{
    public ConcurrencyLimiter Limiter { get; } = limiter;

    public ConcurrencyLimitMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new ConcurrencyLimitFilter(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Limiter.Dispose();
        }
        base.Dispose(disposing);
    }
}
