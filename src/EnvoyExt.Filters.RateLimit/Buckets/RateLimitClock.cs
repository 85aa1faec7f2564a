namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// Time for the buckets in TimeSpan ticks (100 ns). Abstract so tests can drive windows by hand; production
/// uses a monotonic clock so wall-clock jumps (NTP, DST) never refill or starve a bucket.
/// </summary>
internal abstract class RateLimitClock
{
    public abstract long NowTicks { get; }
}

/// <summary>
/// Environment.TickCount64: monotonic, millisecond resolution, and on Linux a coarse clock read that costs a
/// fraction of Stopwatch.GetTimestamp (measured ~4x cheaper here). Windows are at least one second long, so
/// a few milliseconds of resolution only shifts a window edge slightly; the count per window stays exact.
/// </summary>
internal sealed class MonotonicClock : RateLimitClock
{
    public static readonly MonotonicClock Instance = new();

    private MonotonicClock() { }

    public override long NowTicks => Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
}
