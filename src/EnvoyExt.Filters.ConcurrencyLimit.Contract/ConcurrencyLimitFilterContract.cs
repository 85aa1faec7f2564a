namespace EnvoyExt.Filters.ConcurrencyLimit.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class ConcurrencyLimitFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "concurrency_limit";

    /// <summary>The longest <c>name</c> (metric label) accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The largest <c>maxConcurrentRequests</c>.</summary>
    public const int MaxConcurrentRequestsLimit = 1_000_000;

    /// <summary>The largest <c>queue.maxSize</c>.</summary>
    public const int MaxQueueSizeLimit = 100_000;

    /// <summary>The longest <c>queue.maxWaitMs</c> (60 s).</summary>
    public const int MaxWaitMsLimit = 60_000;

    /// <summary>Default <c>adaptive.minConcurrency</c> (Envoy's default too).</summary>
    public const int DefaultMinConcurrency = 3;

    /// <summary>Default <c>adaptive.sampleWindowMs</c>.</summary>
    public const int DefaultSampleWindowMs = 100;

    /// <summary>Default <c>adaptive.percentile</c>.</summary>
    public const int DefaultPercentile = 90;

    /// <summary>Default <c>adaptive.bufferPercent</c>.</summary>
    public const int DefaultBufferPercent = 25;

    /// <summary>Default <c>adaptive.minRttIntervalMs</c> (one minute).</summary>
    public const int DefaultMinRttIntervalMs = 60_000;

    /// <summary>Default <c>adaptive.minRttJitterPercent</c>.</summary>
    public const int DefaultMinRttJitterPercent = 15;

    /// <summary>Default <c>adaptive.minRttRequests</c>.</summary>
    public const int DefaultMinRttRequests = 50;

    /// <summary>Default <c>adaptive.samplesPerWindow</c>: a 90th percentile of 1,000 uniform samples is within about one percentile point.</summary>
    public const int DefaultSamplesPerWindow = 1_000;

    /// <summary>Bounds of <c>adaptive.samplesPerWindow</c>.</summary>
    public const int MinSamplesPerWindow = 10, MaxSamplesPerWindow = 1_000_000;

    /// <summary>Bounds of <c>adaptive.sampleWindowMs</c>.</summary>
    public const int MinSampleWindowMs = 10, MaxSampleWindowMs = 60_000;

    /// <summary>Bounds of <c>adaptive.minRttIntervalMs</c> (one second to one hour).</summary>
    public const int MinMinRttIntervalMs = 1_000, MaxMinRttIntervalMs = 3_600_000;

    /// <summary>The largest <c>adaptive.minRttRequests</c>.</summary>
    public const int MaxMinRttRequests = 10_000;
}
