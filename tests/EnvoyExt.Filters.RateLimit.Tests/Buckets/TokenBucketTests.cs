using EnvoyExt.Filters.RateLimit.Buckets;

namespace EnvoyExt.Filters.RateLimit.Tests.Buckets;

public class TokenBucketTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void GrantsExactlyCapacityPerWindowThenRefillsToFull()
    {
        long created = 100 * Second;
        var bucket = new TokenBucket(3, Second, created);
        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => bucket.TryCharge(1, created).Allowed));
        // Still the first window just before its end.
        Assert.False(bucket.TryCharge(1, created + Second - 1).Allowed);
        // Next window: full again, not 3 + leftovers.
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryCharge(1, created + Second).Allowed));
        // A skipped window does not accumulate tokens either.
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryCharge(1, created + (10 * Second)).Allowed));
    }

    [Fact]
    public void WindowsAreAlignedToCreationNotToTheWallClock()
    {
        long created = (100 * Second) + (Second / 2);
        var bucket = new TokenBucket(1, Second, created);
        Assert.True(bucket.TryCharge(1, created).Allowed);
        // 101.0 s would be a new window for a wall-aligned bucket; ours runs until 101.5 s.
        var atWholeSecond = bucket.TryCharge(1, 101 * Second);
        Assert.False(atWholeSecond.Allowed);
        Assert.Equal(Second / 2, atWholeSecond.TicksUntilReset);
        Assert.True(bucket.TryCharge(1, created + Second).Allowed);
    }

    [Fact]
    public void ReportsRemainingAndTimeUntilReset()
    {
        var bucket = new TokenBucket(5, 60 * Second, 0);
        var first = bucket.TryCharge(2, 10 * Second);
        Assert.True(first.Allowed);
        Assert.Equal(3u, first.Remaining);
        Assert.Equal(50 * Second, first.TicksUntilReset);
        var tooBig = bucket.TryCharge(4, 20 * Second);
        Assert.False(tooBig.Allowed);
        Assert.Equal(3u, tooBig.Remaining);
        Assert.Equal(3u, bucket.Peek(20 * Second));
        Assert.Equal(5u, bucket.Peek(60 * Second));
    }

    [Fact]
    public void CostZeroChecksWithoutConsuming()
    {
        var bucket = new TokenBucket(1, Second, 0);
        Assert.True(bucket.TryCharge(0, 0).Allowed);
        Assert.True(bucket.TryCharge(0, 0).Allowed);
        Assert.Equal(1u, bucket.Peek(0));
        Assert.True(bucket.TryCharge(1, 0).Allowed);
        Assert.False(bucket.TryCharge(0, 0).Allowed);
    }

    [Fact]
    public void ALaterWindowOpenedByAnotherWorkerIsNotRolledBack()
    {
        var bucket = new TokenBucket(2, Second, 0);
        Assert.True(bucket.TryCharge(2, Second).Allowed); // a worker with a later clock opens window 1
        // A worker whose clock read is slightly older must not reopen window 0 with fresh tokens.
        Assert.False(bucket.TryCharge(1, Second - 1).Allowed);
    }

    [Theory]
    [InlineData(2, 5_000, 1_000)]
    [InlineData(4, 2_500, 777)]
    [InlineData(8, 1_000, 4_000)]
    public void ConcurrentWorkersGetExactlyTheLimit(int workers, int requestsPerWorker, int limit)
    {
        var bucket = new TokenBucket((uint)limit, 60 * Second, 0);
        int allowed = 0;
        using var start = new Barrier(workers);
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            int mine = 0;
            for (int i = 0; i < requestsPerWorker; i++)
            {
                if (bucket.TryCharge(1, 5 * Second).Allowed)
                {
                    mine++;
                }
            }
            Interlocked.Add(ref allowed, mine);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(Math.Min(limit, workers * requestsPerWorker), allowed);
        Assert.Equal(0u, bucket.Peek(5 * Second));
    }

    [Fact]
    public void ConcurrentWorkersAcrossWindowsGetExactlyTheLimitPerWindow()
    {
        // Every worker charges in lock-step through 5 windows; each window must grant exactly `limit`.
        const int Workers = 4, PerWindow = 500, Limit = 300, Windows = 5;
        var bucket = new TokenBucket(Limit, Second, 0);
        var allowedPerWindow = new int[Windows];
        using var phase = new Barrier(Workers);
        var threads = Enumerable.Range(0, Workers).Select(_ => new Thread(() =>
        {
            for (int w = 0; w < Windows; w++)
            {
                phase.SignalAndWait();
                long now = (w * Second) + (Second / 2);
                int mine = 0;
                for (int i = 0; i < PerWindow; i++)
                {
                    mine += bucket.TryCharge(1, now).Allowed ? 1 : 0;
                }
                Interlocked.Add(ref allowedPerWindow[w], mine);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(allowedPerWindow, n => Assert.Equal(Limit, n));
    }
}
