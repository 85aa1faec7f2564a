using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.ConcurrencyLimit.Config;

/// <summary>The filter_config document of <c>concurrency_limit</c> (docs/filters/concurrency-limit.md), listener or per route.</summary>
public sealed class ConcurrencyLimitConfig
{
    /// <summary>Metric label <c>limiter</c>; <c>"default"</c> when absent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>Requests allowed in flight at once, across all workers (required, 1..1,000,000).</summary>
    [JsonPropertyName("maxConcurrentRequests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>Optional FIFO queue for requests over the limit; absent: they are rejected at once.</summary>
    [JsonPropertyName("queue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConcurrencyLimitQueueOptions? Queue { get; set; }

    /// <summary>
    /// Optional gradient controller: the limit moves between <see cref="ConcurrencyLimitAdaptiveOptions.MinConcurrency"/>
    /// and <see cref="MaxConcurrentRequests"/> with measured latency; absent: the limit is fixed.
    /// </summary>
    [JsonPropertyName("adaptive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConcurrencyLimitAdaptiveOptions? Adaptive { get; set; }
}

/// <summary>The waiting room: at most <see cref="MaxSize"/> requests, each for at most <see cref="MaxWaitMs"/>.</summary>
public sealed class ConcurrencyLimitQueueOptions
{
    /// <summary>Requests that may wait at once (required, 1..100,000).</summary>
    [JsonPropertyName("maxSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxSize { get; set; }

    /// <summary>Longest wait in milliseconds before a 503 (required, 1..60,000).</summary>
    [JsonPropertyName("maxWaitMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxWaitMs { get; set; }
}

/// <summary>
/// The adaptive limit (a gradient controller like Envoy's adaptive_concurrency): every field is optional,
/// defaults in <see cref="ConcurrencyLimitFilterContract"/>.
/// </summary>
public sealed class ConcurrencyLimitAdaptiveOptions
{
    /// <summary>The lowest limit, also the limit while the minimum latency is measured (1..maxConcurrentRequests).</summary>
    [JsonPropertyName("minConcurrency")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinConcurrency { get; set; }

    /// <summary>How long latencies are collected before the limit is recalculated (10..60,000 ms).</summary>
    [JsonPropertyName("sampleWindowMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SampleWindowMs { get; set; }

    /// <summary>The latency percentile a window is summarised by, for the sample and the minimum alike (1..100).</summary>
    [JsonPropertyName("percentile")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Percentile { get; set; }

    /// <summary>How much slower than the minimum a sample may be before the limit shrinks, in percent (0..100).</summary>
    [JsonPropertyName("bufferPercent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BufferPercent { get; set; }

    /// <summary>Time between two measurements of the minimum latency (1,000..3,600,000 ms).</summary>
    [JsonPropertyName("minRttIntervalMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinRttIntervalMs { get; set; }

    /// <summary>Random extra time added to each interval, in percent of it (0..100), so Envoys do not measure in step.</summary>
    [JsonPropertyName("minRttJitterPercent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinRttJitterPercent { get; set; }

    /// <summary>Requests completed at the minimum concurrency that make one minimum-latency measurement (1..10,000).</summary>
    [JsonPropertyName("minRttRequests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinRttRequests { get; set; }

    /// <summary>
    /// How many latencies a sample window measures, about (10..1,000,000): when more requests complete,
    /// each is measured with the probability that keeps the expected count here (a uniform sample).
    /// </summary>
    [JsonPropertyName("samplesPerWindow")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SamplesPerWindow { get; set; }
}
