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

    /// <summary>
    /// Takes the request's real cost from its response; <see cref="Cost"/> is then what the request is
    /// admitted with (charged up front) and the response's excess is charged after it.
    /// </summary>
    [JsonPropertyName("costFrom")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResponseCostSource? CostFrom { get; set; }

    /// <summary>
    /// Names a bucket shared with every rule of the same name on the listener (its listener-level and per-route
    /// documents); rules that share must agree on <c>type</c> and <c>limit</c>.
    /// </summary>
    [JsonPropertyName("shared")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Shared { get; set; }

    /// <summary>Count and report, never deny.</summary>
    [JsonPropertyName("shadowMode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ShadowMode { get; set; }
}
