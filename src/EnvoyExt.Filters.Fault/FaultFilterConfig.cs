using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Fault;

/// <summary>
/// The listener-level rule, the metric ids, the seeds of the per-object generators and the factory's
/// count of route documents; shared by every worker.
/// </summary>
internal sealed class FaultFilterConfig(FaultRule rule, FaultMetrics metrics, ulong? seed, RouteDocumentCount routeDocuments) : HttpFilterConfig
{
    private long _objects;

    public FaultRule Rule { get; } = rule;

    /// <summary>While 0, no stream has a route rule: the filter skips the route lookup.</summary>
    public RouteDocumentCount RouteDocuments { get; } = routeDocuments;

    public FaultMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new FaultFilter(this, NextGeneratorState());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Rule.Dispose();
        }
        base.Dispose(disposing);
    }

    // With a seed, the n-th filter object always draws the same sequence (repeatable tests); never zero.
    private ulong NextGeneratorState()
    {
        ulong basis = seed ?? (ulong)Random.Shared.NextInt64();
        ulong z = basis + (0x9E3779B97F4A7C15UL * (ulong)Interlocked.Increment(ref _objects));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) | 1;
    }
}
