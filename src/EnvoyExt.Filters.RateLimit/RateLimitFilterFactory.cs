using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>The SDK entry point of <c>filter_name: rate_limit</c> (docs/filters/rate-limit.md).</summary>
public sealed class RateLimitFilterFactory : HttpFilterFactory
{
    private readonly RateLimitClock _clock;

    /// <summary>A factory on the monotonic clock (the production one).</summary>
    public RateLimitFilterFactory()
        : this(MonotonicClock.Instance)
    {
    }

    internal RateLimitFilterFactory(RateLimitClock clock) => _clock = clock;

    /// <inheritdoc/>
    public override string FilterName => RateLimitFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        var sharedBuckets = new SharedBucketRegistry(_clock);
        var policy = RateLimitPolicyParser.TryParse(config, RateLimitConfigLevel.Listener, _clock, sharedBuckets, out _, out _, out error);
        if (policy is null)
        {
            return null;
        }
        RateLimitMetrics metrics;
        try
        {
            metrics = RateLimitMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        GlobalBackend? global = null;
        if (policy.GlobalSettings is { } settings)
        {
            try
            {
                global = GlobalBackend.Create(settings, context);
            }
            catch (InvalidOperationException ex)
            {
                error = $"global.redis.passwordSecret: {ex.Message}";
                return null;
            }
        }
        return new RateLimitFilterConfig(policy, metrics, global, sharedBuckets);
    }

    /// <inheritdoc/>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        var policy = RateLimitPolicyParser.TryParse(config, RateLimitConfigLevel.Route, _clock, null, out bool disabled,
            out var parsed, out error);
        return policy is null && !disabled ? null : new RouteRateLimitConfig(policy, parsed, _clock);
    }
}
