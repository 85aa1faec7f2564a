using System.Runtime.CompilerServices;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit;

/// <summary>
/// A per-route document: its own policy (with its own buckets) that replaces the listener-level one, or
/// <c>{"disabled": true}</c> (Policy is null). A document with <c>shared</c> rules is compiled again for each
/// listener it serves, its shared rules charging that listener's buckets (per-route configs are parsed without
/// knowing their listener, so the binding happens on the first request through each listener).
/// </summary>
internal sealed class RouteRateLimitConfig
{
    private readonly RateLimitConfig? _sharedSource;
    private readonly RateLimitClock _clock;
    private readonly ConditionalWeakTable<SharedBucketRegistry, CompiledPolicy> _bound = [];
    private Binding? _last;

    public RouteRateLimitConfig(CompiledPolicy? policy, RateLimitConfig? config, RateLimitClock clock)
    {
        Policy = policy;
        _clock = clock;
        _sharedSource = policy is not null && config?.Rules?.Any(r => r?.Shared is not null) == true ? config : null;
    }

    /// <summary>The policy as compiled alone (shared rules with buckets of their own).</summary>
    public CompiledPolicy? Policy { get; }

    public bool Disabled => Policy is null;

    /// <summary>The policy to run on a listener whose shared buckets are <paramref name="registry"/>.</summary>
    public CompiledPolicy? PolicyFor(SharedBucketRegistry registry)
    {
        if (_sharedSource is null)
        {
            return Policy;
        }
        var last = Volatile.Read(ref _last);
        return last is not null && ReferenceEquals(last.Registry, registry) ? last.Policy : Bind(registry);
    }

    // Once per listener (config time in effect, though it runs on the first request): compile against its registry.
    private CompiledPolicy Bind(SharedBucketRegistry registry)
    {
        var policy = _bound.GetValue(registry, r => PolicyCompiler.Compile(_sharedSource!, _clock, r));
        Volatile.Write(ref _last, new Binding(registry, policy));
        return policy;
    }

    private sealed record Binding(SharedBucketRegistry Registry, CompiledPolicy Policy);
}
