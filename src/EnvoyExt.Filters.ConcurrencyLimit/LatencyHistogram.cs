using System.Numerics;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>
/// Latencies in microseconds, counted in log-linear buckets (16 per power of two, so a bucket is at most
/// 1/16 = 6.25 % wide) shared by every worker without a lock: adding is two atomic additions (three when counted). Values
/// from 2^31 µs (about 36 minutes) up land in the last bucket. A percentile is the middle of the bucket
/// that holds it, so the minimum and the sample latency are read with the same precision.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 4;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxOctave = 30;

    // Values below 16 get a bucket each; octave k (16 <= v < 2^(k+1), k >= 4) gets 16 buckets from (k - 3) * 16.
    private const int BucketCount = ((MaxOctave - SubBucketBits + 1) * SubBuckets) + SubBuckets;

    private readonly int[] _buckets = new int[BucketCount];
    private int _count;
    private long _weight;

    /// <summary>Samples added by <see cref="AddCounted"/> since the last <see cref="Reset"/> (may briefly run ahead of the buckets).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The requests the samples since the last <see cref="Reset"/> stand for (see <see cref="Add"/>).</summary>
    public long Weight => Volatile.Read(ref _weight);

    /// <summary>Adds a sample that stands for <paramref name="weight"/> requests (sampling): two atomic additions.</summary>
    public void Add(long micros, int weight)
    {
        Interlocked.Increment(ref _buckets[IndexOf(micros)]);
        Interlocked.Add(ref _weight, weight);
    }

    /// <summary>Adds a sample and counts it in <see cref="Count"/> (for a caller that waits for a number of samples).</summary>
    public void AddCounted(long micros)
    {
        Add(micros, 1);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The latency at <paramref name="percentile"/> (1..100), or 0 when empty; <paramref name="total"/> is the number of samples.</summary>
    public long Percentile(int percentile, out long total)
    {
        total = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            total += Volatile.Read(ref _buckets[i]);
        }
        if (total == 0)
        {
            return 0;
        }
        long rank = Math.Max(1, ((total * percentile) + 99) / 100);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Volatile.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return MiddleOf(i);
            }
        }
        return MiddleOf(_buckets.Length - 1);
    }

    /// <summary>
    /// Empties the histogram. A worker that picked this histogram just before it stopped being the
    /// active one may still add a sample; it is counted here or, if it lands after the reset, in the
    /// next window that reads this histogram: attributed late, never lost or torn.
    /// </summary>
    public void Reset()
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            Interlocked.Exchange(ref _buckets[i], 0);
        }
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _weight, 0);
    }

    internal static int IndexOf(long micros)
    {
        if (micros < SubBuckets)
        {
            return (int)Math.Max(0, micros);
        }
        ulong value = (ulong)Math.Min(micros, (1L << (MaxOctave + 1)) - 1);
        int octave = BitOperations.Log2(value);
        int sub = (int)(value >> (octave - SubBucketBits)) & (SubBuckets - 1);
        return ((octave - SubBucketBits + 1) * SubBuckets) + sub;
    }

    internal static long MiddleOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }
        int octave = (index / SubBuckets) + SubBucketBits - 1;
        int sub = index % SubBuckets;
        long width = 1L << (octave - SubBucketBits);
        long lower = (1L << octave) + (sub * width);
        return lower + (width / 2);
    }
}
