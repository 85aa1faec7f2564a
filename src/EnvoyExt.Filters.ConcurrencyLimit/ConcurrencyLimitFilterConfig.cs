using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>The listener-level limiter, the metric ids and the factory's count of route documents; shared by every worker.</summary>
internal sealed class ConcurrencyLimitFilterConfig(ConcurrencyLimiter limiter, ConcurrencyLimitMetrics metrics, RouteDocumentCount routeDocuments, SeedSequence seeds) : HttpFilterConfig
{
    public ConcurrencyLimiter Limiter { get; } = limiter;

    /// <summary>While 0, no stream has a route limiter: the filter skips the route lookup.</summary>
    public RouteDocumentCount RouteDocuments { get; } = routeDocuments;

    public ConcurrencyLimitMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new ConcurrencyLimitFilter(this, seeds.Next());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Limiter.Dispose();
        }
        base.Dispose(disposing);
    }
}
