using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.Filters.ConcurrencyLimit.Tests;

/// <summary>
/// The gradient controller on a fake clock: every latency and window boundary is chosen by the test, so
/// the limit's path is deterministic. Requests run in rounds: as many as the limit admits start together,
/// the clock moves by the round's latency, all of them complete.
/// </summary>
public sealed class AdaptiveLimitTests
{
    private const string Adaptive = """
        {"name":"a","maxConcurrentRequests":200,
         "adaptive":{"minConcurrency":4,"sampleWindowMs":100,"percentile":90,"bufferPercent":25,
                     "minRttIntervalMs":60000,"minRttJitterPercent":10,"minRttRequests":20}}
        """;

    private readonly FakeClock _clock = new();

    private ConcurrencyLimiter NewLimiter(string json = Adaptive)
    {
        Assert.True(ConcurrencyLimitConfigJson.TryParse(json, out var config, out var error), error);
        return new ConcurrencyLimiter(config!, _clock, new Random(42));
    }

    // One round: admit up to the limit (each admission counted), wait `latency`, complete them all.
    private int Round(ConcurrencyLimiter limiter, TimeSpan latency, int offered = int.MaxValue)
    {
        var admittedAt = new List<long>();
        while (admittedAt.Count < offered && limiter.TryAcquire())
        {
            admittedAt.Add(limiter.Adaptive!.Now());
        }
        _clock.Advance(latency);
        foreach (long at in admittedAt)
        {
            limiter.RecordCompletion(at);
            limiter.Release();
        }
        return admittedAt.Count;
    }

    // Rounds at one latency for `duration` of fake time; returns the limit at the end.
    private int RunFor(ConcurrencyLimiter limiter, TimeSpan latency, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += latency)
        {
            Round(limiter, latency);
        }
        return limiter.Limit;
    }

    [Fact]
    public void It_starts_by_measuring_the_minimum_latency_at_the_minimum_concurrency()
    {
        var limiter = NewLimiter();
        var adaptive = limiter.Adaptive!;

        Assert.True(adaptive.Measuring);
        Assert.Equal(4, limiter.Limit);
        Assert.Equal(4, Round(limiter, TimeSpan.FromMilliseconds(10)));
        Assert.Equal(0, limiter.InFlight);

        // 20 requests at the pinned limit make the measurement: 5 rounds of 4.
        for (int i = 0; i < 4; i++)
        {
            Round(limiter, TimeSpan.FromMilliseconds(10));
        }
        Assert.False(adaptive.Measuring);
        Assert.InRange(adaptive.MinRttMicros, 9_500, 10_500);
    }

    [Fact]
    public void The_limit_grows_at_the_minimum_latency_falls_when_latency_rises_and_recovers_when_it_drops()
    {
        var limiter = NewLimiter();
        var fast = TimeSpan.FromMilliseconds(10);
        var slow = TimeSpan.FromMilliseconds(50);

        int grown = RunFor(limiter, fast, TimeSpan.FromSeconds(3));
        Assert.Equal(200, grown);                     // latency at its minimum: the limit reaches the maximum

        int previous = limiter.Limit;
        var path = new List<int>();
        for (int window = 0; window < 12; window++)
        {
            RunFor(limiter, slow, TimeSpan.FromMilliseconds(100));
            path.Add(limiter.Limit);
        }
        // The window that was open when latency rose still holds mostly fast samples; the next one is all slow.
        Assert.True(path[1] < previous, $"slow windows: {string.Join(",", path)} (was {previous})");
        for (int i = 1; i < path.Count; i++)
        {
            Assert.True(path[i] <= path[i - 1], string.Join(",", path));
        }
        // Five times the minimum: the gradient is at its floor (0.5) until the limit reaches the minimum's neighbourhood.
        Assert.InRange(path[^1], 4, 8);

        int recovered = RunFor(limiter, fast, TimeSpan.FromSeconds(3));
        Assert.Equal(200, recovered);
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void A_latency_within_the_buffer_does_not_shrink_the_limit()
    {
        var limiter = NewLimiter();
        RunFor(limiter, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(600));
        int before = limiter.Limit;
        // 12 ms is within 25 % of the 10 ms minimum: gradient >= 1, the limit keeps its headroom growth.
        int after = RunFor(limiter, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(300));
        Assert.True(after >= before, $"{before} -> {after}");
    }

    [Fact]
    public void The_minimum_latency_is_measured_again_after_the_interval_and_the_limit_restored()
    {
        var limiter = NewLimiter();
        var adaptive = limiter.Adaptive!;
        RunFor(limiter, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(3));
        Assert.Equal(200, limiter.Limit);

        // Up to the interval (60 s) plus at most 10 % jitter, in windows of light traffic.
        var light = TimeSpan.FromMilliseconds(10);
        var elapsed = TimeSpan.FromSeconds(3);
        while (!adaptive.Measuring && elapsed < TimeSpan.FromSeconds(67))
        {
            Round(limiter, light, offered: 2);
            elapsed += light;
        }
        Assert.True(adaptive.Measuring);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(67));
        Assert.Equal(4, limiter.Limit);

        // The backend got slower: 20 requests at the pinned limit measure the new minimum.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(4, Round(limiter, TimeSpan.FromMilliseconds(12)));
        }
        Assert.False(adaptive.Measuring);
        Assert.InRange(adaptive.MinRttMicros, 11_500, 12_500);
        Assert.Equal(200, limiter.Limit);            // back to the limit from before the measurement
    }

    [Fact]
    public void A_limit_held_at_the_minimum_measures_the_minimum_latency_again_without_waiting_for_the_interval()
    {
        var limiter = NewLimiter();
        var adaptive = limiter.Adaptive!;
        RunFor(limiter, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(3));
        Assert.Equal(200, limiter.Limit);

        // The backend is five times slower for good: against the old minimum every window looks congested.
        var slow = TimeSpan.FromMilliseconds(50);
        var path = new List<int>();
        while (!adaptive.Measuring && path.Count < 100)
        {
            RunFor(limiter, slow, TimeSpan.FromMilliseconds(100));
            path.Add(limiter.Limit);
        }
        Assert.True(adaptive.Measuring, string.Join(",", path));
        // Well before the 60 s interval, and only after the limit sat at the minimum for the required windows.
        Assert.True(path.Count < 30, string.Join(",", path));
        int atMinimum = path.Count - 1 - path.FindLastIndex(path.Count - 2, limit => limit != 4);
        Assert.True(atMinimum >= AdaptiveLimit.WindowsAtMinimumBeforeRemeasuring, string.Join(",", path));

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(4, Round(limiter, slow));
        }
        Assert.False(adaptive.Measuring);
        Assert.InRange(adaptive.MinRttMicros, 47_500, 52_500);

        // Against the new minimum the same latency is no congestion: the limit grows back to the maximum.
        Assert.Equal(200, RunFor(limiter, slow, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_limit_that_only_passes_through_the_minimum_keeps_its_minimum_latency()
    {
        var limiter = NewLimiter();
        var adaptive = limiter.Adaptive!;
        RunFor(limiter, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(3));
        long minRtt = adaptive.MinRttMicros;

        // Slow enough to pull the limit down to the minimum, then fast again before it stays there long.
        var windows = 0;
        while (limiter.Limit > 4 && windows++ < 50)
        {
            RunFor(limiter, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(4, limiter.Limit);
        RunFor(limiter, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2));

        Assert.False(adaptive.Measuring);
        Assert.Equal(minRtt, adaptive.MinRttMicros);
        Assert.Equal(200, limiter.Limit);
    }

    // Like Round, but each admission draws whether it is measured, as the filter does; returns (admitted, measured).
    private (int Admitted, int Measured) SampledRound(ConcurrencyLimiter limiter, TimeSpan latency, ref ObjectRandom random)
    {
        int admitted = 0;
        var measuredAt = new List<(long At, int Weight)>();
        while (limiter.TryAcquire())
        {
            admitted++;
            if (limiter.Adaptive!.ShouldMeasure(ref random, out int weight))
            {
                measuredAt.Add((limiter.Adaptive.Now(), weight));
            }
        }
        _clock.Advance(latency);
        foreach (var (at, weight) in measuredAt)
        {
            limiter.RecordCompletion(at, weight);
        }
        for (int i = 0; i < admitted; i++)
        {
            limiter.Release();
        }
        return (admitted, measuredAt.Count);
    }

    [Fact]
    public void Past_samples_per_window_a_uniform_sample_is_measured_and_the_limit_still_follows_latency()
    {
        var limiter = NewLimiter("""
            {"name":"a","maxConcurrentRequests":4000,
             "adaptive":{"minConcurrency":2000,"sampleWindowMs":100,"percentile":90,"minRttRequests":20,"samplesPerWindow":100}}
            """);
        var adaptive = limiter.Adaptive!;
        var random = new ObjectRandom(7);
        var fast = TimeSpan.FromMilliseconds(10);

        // Measuring minRTT measures every request: the first round of 2,000 completes the measurement.
        Assert.Equal((2000, 2000), SampledRound(limiter, fast, ref random));
        Assert.False(adaptive.Measuring);

        // Ten rounds a window, thousands of completions each: after the first window about 100 are measured.
        var perWindow = new List<(int Admitted, int Measured)>();
        for (int window = 0; window < 20; window++)
        {
            int admitted = 0, measured = 0;
            for (int round = 0; round < 10; round++)
            {
                var (a, m) = SampledRound(limiter, fast, ref random);
                admitted += a;
                measured += m;
            }
            perWindow.Add((admitted, measured));
        }
        string trace = string.Join(" ", perWindow);
        Assert.All(perWindow.Skip(1), w => Assert.True(w.Measured is >= 50 and <= 250, trace));
        Assert.All(perWindow.Skip(1), w => Assert.True(w.Admitted >= 20_000, trace));
        Assert.Equal(4000, limiter.Limit);     // latency at its minimum: the limit grows as without sampling
        Assert.InRange(adaptive.SampleRttMicros, 9_500, 10_500);

        // Five times slower: the sampled percentiles pull the limit down to its minimum.
        var slow = TimeSpan.FromMilliseconds(50);
        var limits = new List<int>();
        for (int window = 0; window < 6; window++)
        {
            SampledRound(limiter, slow, ref random);
            SampledRound(limiter, slow, ref random);
            limits.Add(limiter.Limit);
        }
        Assert.True(limits.Min() == 2000, string.Join(",", limits));
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public void Requests_admitted_before_a_measurement_do_not_count_towards_it()
    {
        var limiter = NewLimiter();
        var adaptive = limiter.Adaptive!;
        long early = adaptive.Now() - 1;
        for (int i = 0; i < 50; i++)
        {
            limiter.RecordCompletion(early);
        }
        Assert.True(adaptive.Measuring);
        Assert.Equal(0, adaptive.MinRttMicros);
    }
}
