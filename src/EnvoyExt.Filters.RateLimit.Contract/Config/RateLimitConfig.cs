using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// The filter_config document of <c>rate_limit</c> (docs/filters/rate-limit.md), at listener level or per route.
/// The controller builds and serializes this type; the filter parses it, so the schema exists once in code.
/// </summary>
public sealed class RateLimitConfig
{
    /// <summary>Metric label <c>policy</c>; <c>"default"</c> when absent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>0..64 rules; an empty list lets every request through.</summary>
    [JsonPropertyName("rules")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RateLimitRule>? Rules { get; set; }

    /// <summary>Per rule, the bound on buckets created by Distinct selectors (default 10000).</summary>
    [JsonPropertyName("maxDistinctBuckets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxDistinctBuckets { get; set; }

    /// <summary>Listener level only: the Redis that <c>Global</c> rules lease tokens from.</summary>
    [JsonPropertyName("global")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GlobalRateLimitSettings? Global { get; set; }

    [JsonPropertyName("response")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimitResponse? Response { get; set; }

    /// <summary>
    /// Per-route only: <c>{"disabled": true}</c> turns the filter off for the route and must be the only field.
    /// </summary>
    [JsonPropertyName("disabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Disabled { get; set; }

    /// <summary>The per-route document that switches the filter off.</summary>
    public static RateLimitConfig DisabledForRoute() => new() { Disabled = true };
}
