using System.Diagnostics;

namespace EnvoyExt.Filters.BandwidthLimit;

/// <summary>
/// A token bucket in bytes, shared by every worker, kept as one atomic "theoretical arrival time": each
/// reservation moves it forward by the bytes' cost at the rate, and the bytes may go once that time is
/// within one fill interval (the burst) of now. Bytes are never refused, only given a later due time, so
/// streams that share the bucket share the rate in the order their frames arrive.
/// </summary>
internal sealed class ByteBucket
{
    private readonly double _ticksPerByte;
    private readonly long _burstTicks;
    private long _paidUntil;

    public ByteBucket(long bytesPerSecond, int fillIntervalMs)
    {
        _ticksPerByte = (double)Stopwatch.Frequency / bytesPerSecond;
        _burstTicks = Stopwatch.Frequency * fillIntervalMs / 1000;
    }

    /// <summary>Reserves <paramref name="bytes"/> and returns the Stopwatch timestamp from which they may go.</summary>
    public long Reserve(long bytes, long now)
    {
        long cost = (long)Math.Ceiling(bytes * _ticksPerByte);
        long current = Volatile.Read(ref _paidUntil);
        while (true)
        {
            long next = Math.Max(current, now) + cost;
            long seen = Interlocked.CompareExchange(ref _paidUntil, next, current);
            if (seen == current)
            {
                return next - _burstTicks;
            }
            current = seen;
        }
    }

    /// <summary>Whole milliseconds (rounded up) from <paramref name="now"/> to <paramref name="due"/>; 0 when due.</summary>
    public static int MillisecondsUntil(long due, long now) =>
        due <= now ? 0 : (int)Math.Min(int.MaxValue, ((due - now) * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
}
