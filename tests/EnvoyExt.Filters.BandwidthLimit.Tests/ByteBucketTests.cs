using System.Diagnostics;

namespace EnvoyExt.Filters.BandwidthLimit.Tests;

/// <summary>The shared bucket's arithmetic, on explicit timestamps (no clock involved).</summary>
public sealed class ByteBucketTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void A_burst_within_one_fill_interval_is_due_at_once_and_more_waits_at_the_rate()
    {
        var bucket = new ByteBucket(bytesPerSecond: 1000, fillIntervalMs: 100);
        long now = 10 * Second;

        Assert.True(bucket.Reserve(100, now) <= now);            // one interval's worth: at once
        long due = bucket.Reserve(500, now);                      // 600 bytes reserved: 0.6 s, minus the 0.1 s burst
        Assert.InRange(due - now, (Second / 2) - 2, (Second / 2) + 2);
        Assert.Equal(500, ByteBucket.MillisecondsUntil(due, now));
    }

    [Fact]
    public void Reservations_from_several_streams_share_the_rate()
    {
        var bucket = new ByteBucket(bytesPerSecond: 1000, fillIntervalMs: 20);
        long now = 5 * Second;
        long last = 0;
        for (int i = 0; i < 10; i++)
        {
            last = bucket.Reserve(100, now);                      // ten streams, 100 bytes each
        }
        Assert.Equal(980, ByteBucket.MillisecondsUntil(last, now));
    }

    [Fact]
    public void An_idle_bucket_does_not_bank_more_than_one_burst()
    {
        var bucket = new ByteBucket(bytesPerSecond: 1000, fillIntervalMs: 50);
        bucket.Reserve(10, Second);
        long later = 100 * Second;
        Assert.Equal(950, ByteBucket.MillisecondsUntil(bucket.Reserve(1000, later), later));
    }
}
