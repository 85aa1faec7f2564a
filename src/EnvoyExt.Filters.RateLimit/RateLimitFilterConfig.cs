using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// A listener-level rate_limit config: the compiled policy, the metric ids and the pool of filter objects.
/// Shared by every worker; the policy's mutable state is atomics only.
/// </summary>
public sealed class RateLimitFilterConfig : HttpFilterConfig
{
    private readonly FilterPool<RateLimitFilter> _pool;

    internal RateLimitFilterConfig(CompiledPolicy policy, RateLimitMetrics metrics)
    {
        Policy = policy;
        Metrics = metrics;
        _pool = new FilterPool<RateLimitFilter>(() => new RateLimitFilter(this));
    }

    internal CompiledPolicy Policy { get; }

    internal RateLimitMetrics Metrics { get; }

    public override HttpFilter CreateFilter(uint workerIndex) => _pool.Rent(workerIndex);

    internal void Return(RateLimitFilter filter) => _pool.Return(filter);

    public override void Dispose()
    {
        _pool.Dispose();
        base.Dispose();
    }
}
