using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// A listener-level rate_limit config: the compiled policy and the metric ids. Shared by every worker;
/// the policy's mutable state is atomics only.
/// </summary>
internal sealed class RateLimitFilterConfig(CompiledPolicy policy, RateLimitMetrics metrics, GlobalBackend? global,
    SharedBucketRegistry sharedBuckets) : HttpFilterConfig
{
    internal CompiledPolicy Policy { get; } = policy;

    internal RateLimitMetrics Metrics { get; } = metrics;

    /// <summary>The Redis backend of Global rules (listener level and per route), when configured.</summary>
    internal GlobalBackend? Global { get; } = global;

    /// <summary>This listener's <c>shared</c> buckets (its own document's and its per-route documents').</summary>
    internal SharedBucketRegistry SharedBuckets { get; } = sharedBuckets;

    public override HttpFilter CreateFilter() => new RateLimitFilter(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Global?.Dispose();
        }
        base.Dispose(disposing);
    }
}
