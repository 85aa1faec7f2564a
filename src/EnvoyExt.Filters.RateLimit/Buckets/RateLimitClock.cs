using System.Diagnostics;

namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// Time for the buckets in TimeSpan ticks (100 ns). Abstract so tests can drive windows by hand; production
/// uses a monotonic clock so wall-clock jumps (NTP, DST) never refill or starve a bucket.
/// </summary>
internal abstract class RateLimitClock
{
    public abstract long NowTicks { get; }
}

internal sealed class MonotonicClock : RateLimitClock
{
    public static readonly MonotonicClock Instance = new();

    private static readonly double s_ticksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

    private MonotonicClock() { }

    public override long NowTicks => (long)(Stopwatch.GetTimestamp() * s_ticksPerTimestamp);
}
