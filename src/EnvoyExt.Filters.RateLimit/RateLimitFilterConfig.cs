using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// A listener-level rate_limit config: the compiled policy and the metric ids. Shared by every worker;
/// the policy's mutable state is atomics only.
/// </summary>
internal sealed class RateLimitFilterConfig(CompiledPolicy policy, RateLimitMetrics metrics) : HttpFilterConfig
{
    internal CompiledPolicy Policy { get; } = policy;

    internal RateLimitMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new RateLimitFilter(this);
}
