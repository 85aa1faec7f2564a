using System.Text;
using EnvoyExt.Filters.RateLimit.Buckets;
using StackExchange.Redis;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// The global side of one rule: its limit and window, its shared bucket and (with Distinct) its per-value
/// table. Windows are aligned to the Unix epoch so every replica agrees on them (clocks kept by NTP); the
/// window number is part of the Redis key (prefixed by the connection's keyPrefix), which expires shortly after its window ends.
/// </summary>
internal sealed class GlobalRule
{
    /// <summary>Keys outlive their window by this much, so a late lease never recreates a fresh key.</summary>
    public const long ExpirySlackMs = 1_000;

    private readonly RateLimitClock _clock;
    private readonly long _unixOffsetMs;

    public GlobalRule(string policyName, string ruleName, uint requests, long windowTicks, int maxDistinctBuckets,
        bool hasDistinct, RateLimitClock clock)
    {
        Requests = requests;
        WindowTicks = windowTicks;
        WindowMs = windowTicks / TimeSpan.TicksPerMillisecond;
        _clock = clock;
        _unixOffsetMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (clock.NowTicks / TimeSpan.TicksPerMillisecond);
        KeyBase = Encoding.UTF8.GetBytes($"{policyName}:{ruleName}:");
        long now = clock.NowTicks;
        Shared = new GlobalBucket(this, KeyBase, now);
        Distinct = hasDistinct ? new GlobalBucketTable(this, maxDistinctBuckets) : null;
    }

    public uint Requests { get; }

    public long WindowTicks { get; }

    public long WindowMs { get; }

    public byte[] KeyBase { get; }

    public GlobalBucket Shared { get; }

    public GlobalBucketTable? Distinct { get; }

    internal RateLimitClock Clock => _clock;

    /// <summary>Milliseconds since the Unix epoch, on the monotonic clock (read once per request).</summary>
    public long NowUnixMs() => (_clock.NowTicks / TimeSpan.TicksPerMillisecond) + _unixOffsetMs;

    /// <summary>Unix time in ms for a clock reading in ticks.</summary>
    public long UnixMsAt(long nowTicks) => (nowTicks / TimeSpan.TicksPerMillisecond) + _unixOffsetMs;

    public long WindowOf(long unixMs) => unixMs / WindowMs;

    /// <summary>Ticks from <paramref name="unixMs"/> to the end of its window.</summary>
    public long TicksUntilReset(long unixMs) => (WindowMs - (unixMs % WindowMs)) * TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// Charges <paramref name="bucket"/> from its leased tokens. False when the request has to wait for a lease;
    /// otherwise <paramref name="charge"/> says whether it passed, in the shape local buckets report.
    /// </summary>
    public bool TryCharge(GlobalBucket bucket, uint cost, long nowTicks, out ChargeResult charge)
    {
        long unixMs = UnixMsAt(nowTicks);
        var result = bucket.TryCharge(cost, WindowOf(unixMs));
        charge = new ChargeResult(result.Kind == GlobalChargeKind.Allowed, result.Remaining, TicksUntilReset(unixMs));
        return result.Kind != GlobalChargeKind.NeedLease;
    }

    /// <summary>The bucket's counter for one window (lease path only, so allocating here is fine).</summary>
    public static RedisKey RedisKey(byte[] prefix, byte[] bucketKey, long window)
    {
        var digits = window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var key = new byte[prefix.Length + bucketKey.Length + digits.Length];
        prefix.CopyTo(key, 0);
        bucketKey.CopyTo(key, prefix.Length);
        Encoding.ASCII.GetBytes(digits, key.AsSpan(prefix.Length + bucketKey.Length));
        return key;
    }
}
