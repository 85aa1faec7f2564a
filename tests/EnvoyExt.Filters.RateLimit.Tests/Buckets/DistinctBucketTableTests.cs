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
        Assert.True(table.Charge(Key("alice"), 1, 0, out bool evicted).Allowed);
        Assert.False(evicted);
        Assert.True(table.Charge(Key("bob"), 1, 0, out _).Allowed);
        var second = table.Charge(Key("alice"), 1, 0, out _);
        Assert.True(second.Allowed);
        Assert.Equal(0u, second.Remaining);
        Assert.False(table.Charge(Key("alice"), 1, 0, out _).Allowed);
        Assert.Equal(0u, table.Charge(Key("bob"), 1, 0, out _).Remaining);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void NeverHoldsMoreThanTheBoundAndCountsEvictions()
    {
        var table = new DistinctBucketTable(50, 1, Minute);
        for (int i = 0; i < 180; i++)
        {
            table.Charge(Key($"client-{i}"), 1, 0, out bool evicted);
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
        table.Charge(Key("a"), 1, 0, out _);
        table.Charge(Key("b"), 1, 0, out _);
        table.Charge(Key("c"), 1, 0, out _);
        table.Charge(Key("d"), 1, 0, out bool evictedForD); // everyone had one chance: the oldest, a, goes
        Assert.True(evictedForD);
        Assert.False(table.Contains(Key("a")));
        table.Charge(Key("b"), 1, 0, out _); // b is used again, c is not
        table.Charge(Key("e"), 1, 0, out _);
        Assert.True(table.Contains(Key("b")));
        Assert.False(table.Contains(Key("c")));
        Assert.True(table.Contains(Key("d")));
        Assert.True(table.Contains(Key("e")));
    }

    [Fact]
    public void ANewBucketStartsFullWithItsOwnWindow()
    {
        var table = new DistinctBucketTable(10, 1, Minute);
        Assert.True(table.Charge(Key("early"), 1, 0, out _).Allowed);
        Assert.True(table.Charge(Key("late"), 1, 30 * TimeSpan.TicksPerSecond, out _).Allowed);
        // At 60 s early's window restarts but late's (started at 30 s) does not.
        Assert.True(table.Charge(Key("early"), 1, Minute, out _).Allowed);
        Assert.False(table.Charge(Key("late"), 1, Minute, out _).Allowed);
    }

    [Fact]
    public void AReusedEntryStartsFullWithItsOwnWindow()
    {
        // One slot: every new value takes over the previous value's entry and bucket.
        var table = new DistinctBucketTable(1, 2, Minute);
        Assert.True(table.Charge(Key("old"), 2, 0, out _).Allowed);
        Assert.False(table.Charge(Key("old"), 1, 0, out _).Allowed);
        var first = table.Charge(Key("new-and-longer-than-the-old-key-buffer"), 1, 45 * TimeSpan.TicksPerSecond, out bool evicted);
        Assert.True(evicted);
        Assert.True(first.Allowed);
        Assert.Equal(1u, first.Remaining);
        Assert.Equal(Minute, first.TicksUntilReset);
        Assert.True(table.Charge(Key("new-and-longer-than-the-old-key-buffer"), 1, Minute, out _).Allowed);
        Assert.False(table.Charge(Key("new-and-longer-than-the-old-key-buffer"), 1, Minute, out _).Allowed);
        // Its window runs 45 s to 105 s, not on the old value's minute boundaries.
        Assert.True(table.Charge(Key("new-and-longer-than-the-old-key-buffer"), 1, 105 * TimeSpan.TicksPerSecond, out _).Allowed);
        Assert.False(table.Contains(Key("old")));
    }

    [Fact]
    public void AReaderHoldingAnEntryGivenToAnotherValueChargesNothing()
    {
        var table = new DistinctBucketTable(1, 1, Minute);
        var alice = Key("alice");
        table.Charge(alice, 0, 0, out _);
        // A worker looks alice up, then stalls before charging ...
        var stale = table.Lookup(alice, DistinctBucketTable.Hash(alice));
        Assert.NotNull(stale.Entry);
        // ... while another worker's new value takes the only entry.
        Assert.True(table.Charge(Key("bob"), 0, 0, out bool evicted).Allowed);
        Assert.True(evicted);
        // The stalled charge must not land on bob's bucket (capacity 1): it reports the entry as gone.
        Assert.False(DistinctBucketTable.TryCharge(stale, 1, 0, out _));
        var bob = table.Charge(Key("bob"), 1, 0, out _);
        Assert.True(bob.Allowed);
        Assert.Equal(0u, bob.Remaining);
    }

    [Fact]
    public void ChurnAllocatesNothingOnceTheTableIsFull()
    {
        var table = new DistinctBucketTable(64, 1_000, Minute);
        var keys = Enumerable.Range(0, 1_000).Select(i => Key($"client-{i}")).ToArray();
        foreach (var key in keys)
        {
            table.Charge(key, 1, 0, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                table.Charge(key, 1, 0, out bool evicted);
                Assert.True(evicted);
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LookingUpAnExistingValueAllocatesNothing()
    {
        var table = new DistinctBucketTable(10, 1_000_000, Minute);
        Span<byte> key = stackalloc byte[] { 1, 2, 3, 4 };
        table.Charge(key, 1, 0, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            table.Charge(key, 1, 0, out _);
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
                if (table.Charge(Key("shared"), 1, 0, out _).Allowed)
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
        var table = new DistinctBucketTable(16, 2, Minute);
        for (int i = 0; i < 500; i++)
        {
            Assert.True(table.Charge(Key($"v{i}"), 1, 0, out _).Allowed);
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
            // Each resident value still has its own bucket with its one charge: one token left, then none.
            var second = table.Charge(Key($"v{r}"), 1, 0, out bool evicted);
            Assert.False(evicted);
            Assert.True(second.Allowed);
            Assert.Equal(0u, second.Remaining);
        }
    }

    [Fact]
    public void ChargesOfEvictedValuesNeverLandOnANewValuesBucket()
    {
        // Readers keep charging values the writer keeps evicting; every value the writer adds is new, and its
        // bucket (1 token) must be untouched when the writer charges it: a stale reader's charge would take it.
        var table = new DistinctBucketTable(4, 1, Minute);
        var readerKeys = Enumerable.Range(0, 8).Select(i => Key($"reader-{i}")).ToArray();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(reader => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var key in readerKeys)
                {
                    table.Charge(key, 1, 0, out _);
                }
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        int refused = 0;
        for (int i = 0; i < 50_000; i++)
        {
            if (!table.Charge(Key($"writer-{i}"), 1, 0, out _).Allowed)
            {
                refused++;
            }
        }
        stop.Cancel();
        readers.ForEach(t => t.Join());
        Assert.Equal(0, refused);
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
            table.Charge(keys[i % keys.Length], 0, 0, out _);
        }
        stop.Cancel();
        readers.ForEach(t => t.Join());
        Assert.True(Interlocked.Read(ref lookups) > 0);
        // The writer cycled through 64 keys without reuse inside 8 slots: its last 8 are resident.
        Assert.Equal(8, table.Count);
        Assert.All(Enumerable.Range(19_992, 8), i => Assert.True(table.Contains(keys[i % keys.Length])));
    }
}
