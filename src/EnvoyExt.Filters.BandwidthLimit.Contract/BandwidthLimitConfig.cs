using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.BandwidthLimit.Config;

/// <summary>The filter_config document of <c>bandwidth_limit</c> (docs/filters/bandwidth-limit.md), listener or per route.</summary>
public sealed class BandwidthLimitConfig
{
    /// <summary>Metric label <c>limiter</c>; <c>"default"</c> when absent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>Body bytes per second in KiB, per direction, shared by every worker (required).</summary>
    [JsonPropertyName("limitKiBps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LimitKiBps { get; set; }

    /// <summary><c>request</c>, <c>response</c> or <c>both</c> (default): which bodies are throttled.</summary>
    [JsonPropertyName("direction")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Direction { get; set; }

    /// <summary>The bucket's refill step and burst in milliseconds (20..1,000, default 50).</summary>
    [JsonPropertyName("fillIntervalMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FillIntervalMs { get; set; }

    /// <summary>
    /// When present, responses that carry trailers get the delays of both directions as trailers (needs
    /// <c>direction</c> <c>response</c> or <c>both</c>).
    /// </summary>
    [JsonPropertyName("responseTrailers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BandwidthLimitTrailersOptions? ResponseTrailers { get; set; }
}

/// <summary>The delay trailers of <c>bandwidth_limit</c>.</summary>
public sealed class BandwidthLimitTrailersOptions
{
    /// <summary>Put before each trailer name with a dash (<c>x-bw</c> gives <c>x-bw-bandwidth-request-delay-ms</c>); none when absent.</summary>
    [JsonPropertyName("prefix")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prefix { get; set; }
}
