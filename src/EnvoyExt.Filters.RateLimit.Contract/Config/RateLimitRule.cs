using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>One limit and the requests it applies to.</summary>
public sealed class RateLimitRule
{
    /// <summary>Metric label <c>rule</c>; <c>"rule-&lt;index&gt;"</c> when absent. Unique within a config.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>0..8 selectors, ORed; none means every request.</summary>
    [JsonPropertyName("clientSelectors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ClientSelector>? ClientSelectors { get; set; }

    /// <summary>Required.</summary>
    [JsonPropertyName("limit")]
    public RateLimit? Limit { get; set; }

    /// <summary>Local (default): buckets in this process. Global: shared through Redis (needs <c>global</c> at listener level).</summary>
    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RateLimitType Type { get; set; }

    /// <summary>Tokens a request takes (default 1); 0 checks the bucket without consuming.</summary>
    [JsonPropertyName("cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Cost { get; set; }

    /// <summary>Count and report, never deny.</summary>
    [JsonPropertyName("shadowMode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ShadowMode { get; set; }
}
