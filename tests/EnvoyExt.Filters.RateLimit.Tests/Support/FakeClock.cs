using EnvoyExt.Filters.RateLimit.Buckets;

namespace EnvoyExt.Filters.RateLimit.Tests.Support;

/// <summary>A clock the test moves by hand, so windows are exercised without waiting.</summary>
internal sealed class FakeClock(long startTicks = 1_000 * TimeSpan.TicksPerSecond) : RateLimitClock
{
    private long _now = startTicks;

    public override long NowTicks => Volatile.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
}
