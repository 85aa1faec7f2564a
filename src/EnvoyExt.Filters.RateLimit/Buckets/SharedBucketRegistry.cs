using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Global;

namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// The buckets named by rules' <c>shared</c> on one listener (one filter config): its listener-level document and
/// every per-route document used with it charge the same buckets for the same name. Config time only (a lock and
/// a dictionary); requests reach the buckets through their compiled rules.
/// </summary>
internal sealed class SharedBucketRegistry(RateLimitClock clock)
{
    /// <summary>Policy part of a shared Global bucket's Redis key (a policy name never starts with "@" in practice; see the docs).</summary>
    public const string GlobalKeyPolicy = "@shared";

    private readonly Dictionary<string, SharedBuckets> _byName = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byName.Count;
            }
        }
    }

    /// <summary>
    /// The buckets of <paramref name="name"/>, created with this rule's shape when it is the first to use the name.
    /// First wins: a later rule with another type or limit gets the first rule's buckets (and a warning is logged);
    /// within one document the validator refuses such a pair.
    /// </summary>
    public SharedBuckets GetOrAdd(string name, RateLimitType type, uint requests, long unitSeconds, bool needsDistinct,
        int maxDistinctBuckets)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(name, out var buckets))
            {
                buckets = new SharedBuckets(name, type, requests, unitSeconds, clock, maxDistinctBuckets);
                _byName.Add(name, buckets);
            }
            else if (buckets.Type != type || buckets.Requests != requests || buckets.UnitSeconds != unitSeconds)
            {
                ModuleLog.Write(LogLevel.Warn, Encoding.UTF8.GetBytes(
                    $"rate_limit: shared bucket \"{name}\" is used with another type or limit; the first definition " +
                    $"({buckets.Type}, {buckets.Requests} per {buckets.UnitSeconds} s) applies"));
            }
            if (needsDistinct)
            {
                buckets.EnsureDistinct();
            }
            return buckets;
        }
    }
}

/// <summary>One shared name's buckets: the bucket without Distinct values and, once a rule needs it, the per-value table.</summary>
internal sealed class SharedBuckets
{
    private readonly int _maxDistinctBuckets;

    public SharedBuckets(string name, RateLimitType type, uint requests, long unitSeconds, RateLimitClock clock,
        int maxDistinctBuckets)
    {
        Name = name;
        Type = type;
        Requests = requests;
        UnitSeconds = unitSeconds;
        _maxDistinctBuckets = maxDistinctBuckets;
        long windowTicks = unitSeconds * TimeSpan.TicksPerSecond;
        Bucket = new TokenBucket(requests, windowTicks, clock.NowTicks);
        // Global buckets always get a Distinct table: it costs nothing until a Distinct value is charged.
        Global = type == RateLimitType.Global
            ? new GlobalRule(SharedBucketRegistry.GlobalKeyPolicy, name, requests, windowTicks, maxDistinctBuckets, true, clock)
            : null;
    }

    public string Name { get; }

    public RateLimitType Type { get; }

    public uint Requests { get; }

    public long UnitSeconds { get; }

    public TokenBucket Bucket { get; }

    public DistinctBucketTable? Distinct { get; private set; }

    public GlobalRule? Global { get; }

    // Under the registry's lock.
    internal void EnsureDistinct() =>
        Distinct ??= new DistinctBucketTable(_maxDistinctBuckets, Requests, UnitSeconds * TimeSpan.TicksPerSecond);
}
