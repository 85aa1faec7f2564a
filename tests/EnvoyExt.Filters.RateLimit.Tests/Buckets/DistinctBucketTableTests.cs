using EnvoyExt.Filters.RateLimit.Buckets;

namespace EnvoyExt.Filters.RateLimit.Tests.Buckets;

public class DistinctBucketTableTests
{
    private static readonly long Minute = TimeSpan.TicksPerMinute;

    private static byte[] Key(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public void EachValueGetsItsOwnBucketAndTheSameValueFindsIt()
    {
        var table = new DistinctBucketTable(100, 2, Minute);
        var alice = table.GetOrAdd(Key("alice"), 0, out bool evicted);
        Assert.False(evicted);
        var bob = table.GetOrAdd(Key("bob"), 0, out _);
        Assert.NotSame(alice, bob);
        Assert.Same(alice, table.GetOrAdd(Key("alice"), 0, out _));
        Assert.True(alice.TryCharge(2, 0).Allowed);
        Assert.False(alice.TryCharge(1, 0).Allowed);
        Assert.True(bob.TryCharge(1, 0).Allowed);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void NeverHoldsMoreThanTheBoundAndCountsEvictions()
    {
        var table = new DistinctBucketTable(50, 1, Minute);
        for (int i = 0; i < 180; i++)
        {
            table.GetOrAdd(Key($"client-{i}"), 0, out bool evicted);
            Assert.Equal(i >= 50, evicted);
            Assert.True(table.Count <= 50);
        }
        Assert.Equal(50, table.Count);
        Assert.Equal(130, table.Evictions);
    }

    [Fact]
    public void EvictsTheLeastRecentlyUsedFirst()
    {
        var table = new DistinctBucketTable(3, 1, Minute);
        table.GetOrAdd(Key("a"), 0, out _);
        table.GetOrAdd(Key("b"), 0, out _);
        table.GetOrAdd(Key("c"), 0, out _);
        table.GetOrAdd(Key("d"), 0, out bool evictedForD); // everyone had one chance: the oldest, a, goes
        Assert.True(evictedForD);
        Assert.False(table.Contains(Key("a")));
        table.GetOrAdd(Key("b"), 0, out _); // b is used again, c is not
        table.GetOrAdd(Key("e"), 0, out _);
        Assert.True(table.Contains(Key("b")));
        Assert.False(table.Contains(Key("c")));
        Assert.True(table.Contains(Key("d")));
        Assert.True(table.Contains(Key("e")));
    }

    [Fact]
    public void ANewBucketStartsFullWithItsOwnWindow()
    {
        var table = new DistinctBucketTable(10, 1, Minute);
        var early = table.GetOrAdd(Key("early"), 0, out _);
        Assert.True(early.TryCharge(1, 0).Allowed);
        var late = table.GetOrAdd(Key("late"), 30 * TimeSpan.TicksPerSecond, out _);
        Assert.True(late.TryCharge(1, 30 * TimeSpan.TicksPerSecond).Allowed);
        // At 60 s early's window restarts but late's (started at 30 s) does not.
        Assert.True(early.TryCharge(1, Minute).Allowed);
        Assert.False(late.TryCharge(1, Minute).Allowed);
    }

    [Fact]
    public void LookingUpAnExistingValueAllocatesNothing()
    {
        var table = new DistinctBucketTable(10, 1_000_000, Minute);
        Span<byte> key = stackalloc byte[] { 1, 2, 3, 4 };
        table.GetOrAdd(key, 0, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            table.GetOrAdd(key, 0, out _).TryCharge(1, 0);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ConcurrentInsertsOfTheSameValueShareOneBucket()
    {
        var table = new DistinctBucketTable(1000, 100, Minute);
        int allowed = 0;
        var threads = Enumerable.Range(0, 4).Select(worker => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                if (table.GetOrAdd(Key("shared"), 0, out _).TryCharge(1, 0).Allowed)
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(100, allowed);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void ResidentValuesKeepTheirBucketsAcrossManyEvictions()
    {
        // 16 buckets over 16 chains: evictions unlink entries at the head, middle and end of chains.
        var table = new DistinctBucketTable(16, 1, Minute);
        var buckets = new List<TokenBucket>();
        for (int i = 0; i < 500; i++)
        {
            buckets.Add(table.GetOrAdd(Key($"v{i}"), 0, out _));
            // Nothing is used twice, so CLOCK degenerates to FIFO: exactly the last 16 values are resident.
            int oldestResident = Math.Max(0, i - 15);
            Assert.Equal(Math.Min(i + 1, 16), table.Count);
            if (oldestResident > 0)
            {
                Assert.False(table.Contains(Key($"v{oldestResident - 1}")));
            }
            for (int r = oldestResident; r <= i; r++)
            {
                Assert.True(table.Contains(Key($"v{r}")), $"v{r} after inserting v{i}");
            }
        }
        for (int r = 484; r < 500; r++)
        {
            Assert.Same(buckets[r], table.GetOrAdd(Key($"v{r}"), 0, out bool evicted));
            Assert.False(evicted);
        }
    }

    [Fact]
    public void LookupsRunSafelyWhileAnotherWorkerEvicts()
    {
        var table = new DistinctBucketTable(8, 1, Minute);
        var keys = Enumerable.Range(0, 64).Select(i => Key($"k{i}")).ToArray();
        using var stop = new CancellationTokenSource();
        long lookups = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var key in keys)
                {
                    table.Contains(key);
                }
                Interlocked.Increment(ref lookups);
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        for (int i = 0; i < 20_000; i++)
        {
            table.GetOrAdd(keys[i % keys.Length], 0, out _);
        }
        stop.Cancel();
        readers.ForEach(t => t.Join());
        Assert.True(Interlocked.Read(ref lookups) > 0);
        // The writer cycled through 64 keys without reuse inside 8 slots: its last 8 are resident.
        Assert.Equal(8, table.Count);
        Assert.All(Enumerable.Range(19_992, 8), i => Assert.True(table.Contains(keys[i % keys.Length])));
    }
}
