using System.Diagnostics;
using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>
/// A gradient controller for one limiter (the idea of Envoy's adaptive_concurrency, written for this
/// module). Two phases:
/// <list type="bullet">
/// <item>Measuring the minimum latency: the limit is pinned to the minimum concurrency until
/// <c>minRttRequests</c> requests admitted during the measurement have completed; their percentile is the
/// minimum latency (minRTT), and the limit goes back to where it was. This repeats every
/// <c>minRttIntervalMs</c> plus a random jitter.</item>
/// <item>Sampling: every <c>sampleWindowMs</c> the window's percentile (sampleRTT) gives
/// gradient = clamp(minRTT × (1 + buffer) / sampleRTT, 0.5, 2); limit = ⌊gradient × limit + √(gradient × limit)⌋ (the root is headroom for bursts),
/// clamped to [minConcurrency, maxConcurrentRequests].</item>
/// </list>
/// A limit held at the minimum for <see cref="WindowsAtMinimumBeforeRemeasuring"/> windows in a row suggests
/// the minimum latency is stale (the backend got slower for good, so every window looks congested): the
/// limit already sits where a measurement pins it, so the measurement starts at once instead of waiting
/// for the interval.
/// Past <c>samplesPerWindow</c> completions a window, latency is measured on a uniform random sample of the
/// requests (each admission draws from its filter object's generator against <see cref="SampleThreshold"/>,
/// which every window close sets so the expected count stays at <c>samplesPerWindow</c>): at high rates most
/// requests then read no clock and touch no shared histogram. Measuring minRTT samples every request.
/// Samples go into one of two lock-free histograms (counted only while measuring, which ends on a number of them); the recalculation runs on the request path of the
/// completion that crosses a window boundary, by the one worker that wins a compare-and-swap (the others
/// carry on), so no worker waits or sleeps and no timer is needed.
/// </summary>
internal sealed class AdaptiveLimit
{
    private const double MinGradient = 0.5;
    private const double MaxGradient = 2.0;

    /// <summary>Consecutive sample windows that set the limit to the minimum before minRTT is measured again.</summary>
    public const int WindowsAtMinimumBeforeRemeasuring = 5;

    /// <summary>The <see cref="SampleThreshold"/> that measures every request (draws are 32-bit).</summary>
    public const long SampleEveryRequest = 1L << 32;

    // The lowest threshold: a measurement then stands for at most 2^32 / 3 requests, so its weight fits an int.
    private const long LowestSampleThreshold = (SampleEveryRequest / int.MaxValue) + 1;

    private readonly TimeProvider _clock;
    private readonly bool _systemClock;
    private readonly Random _random;
    private readonly LatencyHistogram[] _windows = [new(), new()];
    private readonly int _maxLimit;
    private readonly int _percentile;
    private readonly double _buffer;
    private readonly long _sampleWindowTicks;
    private readonly long _minRttIntervalTicks;
    private readonly double _jitter;
    private readonly int _minRttRequests;
    private readonly double _microsPerTick;
    private readonly int _samplesPerWindow;

    private int _limit;
    private int _active;
    private int _measuring;
    private int _recalculating;
    private int _limitBeforeMeasuring;
    private long _measuringSince;
    private long _windowEnd;
    private long _nextMeasurement;
    private long _minRttMicros;
    private long _sampleRttMicros;
    private int _windowsAtMinimum;   // touched only by the recalculating worker
    private long _sampleThreshold = SampleEveryRequest;

    public AdaptiveLimit(ConcurrencyLimitAdaptiveOptions options, int maxLimit, TimeProvider clock, Random random)
    {
        _clock = clock;
        _systemClock = clock == TimeProvider.System;
        _random = random;
        _maxLimit = maxLimit;
        MinLimit = Math.Min(options.MinConcurrency ?? ConcurrencyLimitFilterContract.DefaultMinConcurrency, maxLimit);
        _percentile = options.Percentile ?? ConcurrencyLimitFilterContract.DefaultPercentile;
        _buffer = (options.BufferPercent ?? ConcurrencyLimitFilterContract.DefaultBufferPercent) / 100.0;
        _jitter = (options.MinRttJitterPercent ?? ConcurrencyLimitFilterContract.DefaultMinRttJitterPercent) / 100.0;
        _minRttRequests = options.MinRttRequests ?? ConcurrencyLimitFilterContract.DefaultMinRttRequests;
        _samplesPerWindow = options.SamplesPerWindow ?? ConcurrencyLimitFilterContract.DefaultSamplesPerWindow;
        _sampleWindowTicks = MillisToTicks(options.SampleWindowMs ?? ConcurrencyLimitFilterContract.DefaultSampleWindowMs);
        _minRttIntervalTicks = MillisToTicks(options.MinRttIntervalMs ?? ConcurrencyLimitFilterContract.DefaultMinRttIntervalMs);
        _microsPerTick = 1_000_000.0 / clock.TimestampFrequency;
        // The first thing a new limit does is learn its minimum latency; the limit it returns to is the minimum.
        _limit = MinLimit;
        _limitBeforeMeasuring = MinLimit;
        _measuring = 1;
        _measuringSince = clock.GetTimestamp();
    }

    public int MinLimit { get; }

    /// <summary>The current limit, read by every admission.</summary>
    public int Limit => Volatile.Read(ref _limit);

    public bool Measuring => Volatile.Read(ref _measuring) != 0;

    /// <summary>The last minimum latency measured, in microseconds (0 before the first measurement ends).</summary>
    public long MinRttMicros => Volatile.Read(ref _minRttMicros);

    /// <summary>The last window's latency percentile, in microseconds (0 before the first window).</summary>
    public long SampleRttMicros => Volatile.Read(ref _sampleRttMicros);

    /// <summary>An admission is measured when its uniform 32-bit draw is below this (<see cref="SampleEveryRequest"/>: all are).</summary>
    public long SampleThreshold => Volatile.Read(ref _sampleThreshold);

    /// <summary>
    /// Whether the request being admitted is one whose latency is measured; if so, <paramref name="weight"/> is
    /// the number of requests its measurement stands for (1 / the sampling probability in force now).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ShouldMeasure(ref ObjectRandom random, out int weight)
    {
        long threshold = Volatile.Read(ref _sampleThreshold);
        if (random.NextUInt32() >= threshold)
        {
            weight = 0;
            return false;
        }
        weight = (int)(SampleEveryRequest / threshold);
        return true;
    }

    /// <summary>The clock's timestamp of an admission, kept by the stream until it completes.</summary>
    /// <remarks>The system clock is read directly (its provider would add a virtual call per read).</remarks>
    public long Now() => _systemClock ? Stopwatch.GetTimestamp() : _clock.GetTimestamp();

    /// <summary>
    /// A measured request admitted at <paramref name="admittedAt"/> completed. True when this call recalculated
    /// the limit (the caller updates the gauges and hands newly free slots to waiters).
    /// </summary>
    public bool Record(long admittedAt, int weight)
    {
        long now = Now();
        var window = _windows[Volatile.Read(ref _active)];
        long micros = (long)((now - admittedAt) * _microsPerTick);
        if (Volatile.Read(ref _measuring) == 0)
        {
            window.Add(micros, weight);
            return now >= Volatile.Read(ref _windowEnd) && TryRecalculate(now);
        }
        // While measuring, only requests admitted at the pinned limit say what the unloaded latency is;
        // the measurement ends on a number of them, so only they are counted.
        if (admittedAt >= Volatile.Read(ref _measuringSince))
        {
            window.AddCounted(micros);
        }
        return window.Count >= _minRttRequests && TryRecalculate(now);
    }

    private bool TryRecalculate(long now)
    {
        if (Interlocked.CompareExchange(ref _recalculating, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            if (Volatile.Read(ref _measuring) != 0)
            {
                return FinishMeasurement(now);
            }
            if (now < _windowEnd)
            {
                return false;
            }
            if (now >= _nextMeasurement)
            {
                StartMeasurement(now);
                return true;
            }
            return CloseSampleWindow(now);
        }
        finally
        {
            Volatile.Write(ref _recalculating, 0);
        }
    }

    private bool FinishMeasurement(long now)
    {
        var window = _windows[_active];
        if (window.Count < _minRttRequests)
        {
            return false;
        }
        var closed = SwapWindows();
        Volatile.Write(ref _minRttMicros, Math.Max(1, closed.Percentile(_percentile, out _)));
        closed.Reset();
        Volatile.Write(ref _windowEnd, now + _sampleWindowTicks);
        _nextMeasurement = now + _minRttIntervalTicks + (long)(_minRttIntervalTicks * _jitter * _random.NextDouble());
        Volatile.Write(ref _limit, _limitBeforeMeasuring);
        Volatile.Write(ref _measuring, 0);
        return true;
    }

    private void StartMeasurement(long now)
    {
        _windowsAtMinimum = 0;
        Volatile.Write(ref _sampleThreshold, SampleEveryRequest);
        _limitBeforeMeasuring = _limit;
        Volatile.Write(ref _measuringSince, now);
        Volatile.Write(ref _limit, MinLimit);
        SwapWindows().Reset();
        Volatile.Write(ref _measuring, 1);
    }

    private bool CloseSampleWindow(long now)
    {
        var closed = SwapWindows();
        long sample = closed.Percentile(_percentile, out _);
        long completions = closed.Weight;
        closed.Reset();
        Volatile.Write(ref _windowEnd, now + _sampleWindowTicks);
        Volatile.Write(ref _sampleThreshold, NextSampleThreshold(completions));
        if (sample == 0)
        {
            // No request completed in the window (or all faster than a microsecond): nothing learned.
            return false;
        }
        Volatile.Write(ref _sampleRttMicros, sample);
        int previous = _limit;
        int next = NextLimit(previous, _minRttMicros, sample);
        Volatile.Write(ref _limit, next);
        _windowsAtMinimum = previous == MinLimit && next == MinLimit ? _windowsAtMinimum + 1 : 0;
        if (_windowsAtMinimum >= WindowsAtMinimumBeforeRemeasuring)
        {
            StartMeasurement(now);
        }
        return true;
    }

    // The probability that measures samplesPerWindow of as many completions as the window had (each
    // measurement weighs for the requests it stood for when admitted, so a change of probability while
    // requests were in flight does not skew the estimate). An empty window says nothing: measure all again.
    private long NextSampleThreshold(long completions) =>
        completions == 0 ? SampleEveryRequest : Math.Clamp(SampleEveryRequest * _samplesPerWindow / completions, LowestSampleThreshold, SampleEveryRequest);

    internal int NextLimit(int limit, long minRtt, long sampleRtt)
    {
        double gradient = Math.Clamp(minRtt * (1 + _buffer) / sampleRtt, MinGradient, MaxGradient);
        double scaled = gradient * limit;
        double next = Math.Floor(scaled + Math.Sqrt(scaled));
        return (int)Math.Clamp(next, MinLimit, _maxLimit);
    }

    // Later samples go to the other histogram; returns the one just closed.
    private LatencyHistogram SwapWindows()
    {
        int closed = _active;
        Volatile.Write(ref _active, closed ^ 1);
        return _windows[closed];
    }

    private long MillisToTicks(int millis) => millis * _clock.TimestampFrequency / 1000;
}
