using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>A condition on a request header (names are case-insensitive).</summary>
public sealed class HeaderMatch
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public ValueMatchType Type { get; set; } = ValueMatchType.Exact;

    /// <summary>Required for Exact and RegularExpression; not allowed for Distinct.</summary>
    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Value { get; set; }

    /// <summary>Negates the condition; not allowed for Distinct.</summary>
    [JsonPropertyName("invert")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Invert { get; set; }
}
