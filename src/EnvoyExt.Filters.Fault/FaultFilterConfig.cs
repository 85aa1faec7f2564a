using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Fault;

/// <summary>
/// The listener-level rule, the metric ids, the seeds of the per-object generators and the factory's
/// count of route documents; shared by every worker.
/// </summary>
internal sealed class FaultFilterConfig(FaultRule rule, FaultMetrics metrics, ulong? seed, RouteDocumentCount routeDocuments) : HttpFilterConfig
{
    // With a seed, the n-th filter object always draws the same sequence (repeatable tests).
    private readonly SeedSequence _seeds = new(seed);

    public FaultRule Rule { get; } = rule;

    /// <summary>While 0, no stream has a route rule: the filter skips the route lookup.</summary>
    public RouteDocumentCount RouteDocuments { get; } = routeDocuments;

    public FaultMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new FaultFilter(this, _seeds.Next());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Rule.Dispose();
        }
        base.Dispose(disposing);
    }
}
