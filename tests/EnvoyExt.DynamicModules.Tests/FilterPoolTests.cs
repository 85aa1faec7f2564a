using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Tests;

public class FilterPoolTests
{
    private sealed class Probe : HttpFilter
    {
        public static int Created;

        public Probe() => Interlocked.Increment(ref Created);
    }

    private static Probe RentOn(FilterPool<Probe> pool, uint worker)
    {
        var filter = pool.Rent(worker);
        filter.WorkerIndex = worker; // the dispatcher does this in filter_new
        return filter;
    }

    [Fact]
    public void Returned_filter_is_reused_by_the_same_worker()
    {
        using var pool = new FilterPool<Probe>(() => new Probe());
        var first = RentOn(pool, 0);
        pool.Return(first);

        Assert.True(first.ReturnedToPool);
        Assert.Equal(1, pool.IdleCount(0));
        var second = RentOn(pool, 0);
        Assert.Same(first, second);
        Assert.False(second.ReturnedToPool);
        Assert.Equal(0, pool.IdleCount(0));
    }

    [Fact]
    public void Workers_do_not_share_free_lists()
    {
        using var pool = new FilterPool<Probe>(() => new Probe());
        var onWorker0 = RentOn(pool, 0);
        pool.Return(onWorker0);

        var onWorker1 = RentOn(pool, 1);
        Assert.NotSame(onWorker0, onWorker1);
        Assert.Equal(1, pool.IdleCount(0));
    }

    [Fact]
    public void Keeps_at_most_maxPerWorker_idle_objects()
    {
        using var pool = new FilterPool<Probe>(() => new Probe(), maxWorkers: 2, maxPerWorker: 2);
        var filters = new[] { RentOn(pool, 0), RentOn(pool, 0), RentOn(pool, 0) };
        foreach (var f in filters)
        {
            pool.Return(f);
        }
        Assert.Equal(2, pool.IdleCount(0));
        Assert.False(filters[2].ReturnedToPool); // the dispatcher frees its handle instead
    }

    [Fact]
    public void Workers_beyond_the_table_are_served_without_pooling()
    {
        using var pool = new FilterPool<Probe>(() => new Probe(), maxWorkers: 1);
        var filter = RentOn(pool, 5);
        pool.Return(filter);
        Assert.False(filter.ReturnedToPool);
        Assert.NotSame(filter, RentOn(pool, 5));
    }

    [Fact]
    public void Steady_state_rent_and_return_allocate_nothing()
    {
        using var pool = new FilterPool<Probe>(() => new Probe());
        for (var i = 0; i < 100; i++)
        {
            pool.Return(RentOn(pool, 0)); // warm up (list growth, JIT)
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            pool.Return(RentOn(pool, 0));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
