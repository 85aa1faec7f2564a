using BenchmarkDotNet.Attributes;
using EnvoyExt.Filters.RateLimit.Buckets;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// Cost of charging the shared bucket (one CAS) against the floor of any shared counter (one atomic add),
/// on one thread and with two threads hammering the same cache line.
/// </summary>
[MemoryDiagnoser]
public class TokenBucketBenchmarks
{
    private const int OpsPerThread = 100_000;

    private TokenBucket _bucket = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup() => _bucket = new TokenBucket(int.MaxValue, TimeSpan.TicksPerSecond, MonotonicClock.Instance.NowTicks);

    [Benchmark(Baseline = true, Description = "atomic add (floor), 1 thread")]
    public long AtomicAdd() => Interlocked.Increment(ref _counter);

    [Benchmark(Description = "bucket charge, 1 thread")]
    public bool Charge() => _bucket.TryCharge(1, MonotonicClock.Instance.NowTicks).Allowed;

    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread, Description = "atomic add (floor), 2 threads")]
    public void AtomicAddTwoThreads() => RunOnTwoThreads(static self =>
    {
        for (int i = 0; i < OpsPerThread; i++)
        {
            Interlocked.Increment(ref self._counter);
        }
    });

    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread, Description = "bucket charge, 2 threads")]
    public void ChargeTwoThreads() => RunOnTwoThreads(static self =>
    {
        var bucket = self._bucket;
        for (int i = 0; i < OpsPerThread; i++)
        {
            bucket.TryCharge(1, MonotonicClock.Instance.NowTicks);
        }
    });

    // Two long-lived threads would be cleaner, but starting them per invocation costs a few µs against
    // 200k operations (< 0.1 ns per op), and keeps the benchmark free of hand-rolled synchronisation.
    private void RunOnTwoThreads(Action<TokenBucketBenchmarks> body)
    {
        var other = new Thread(() => body(this));
        other.Start();
        body(this);
        other.Join();
    }
}
