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
