using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>Conditions that are ANDed; a rule's selectors are ORed with each other.</summary>
public sealed class ClientSelector
{
    /// <summary>0..16, ANDed.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<HeaderMatch>? Headers { get; set; }

    /// <summary>0..9, ORed.</summary>
    [JsonPropertyName("methods")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MethodMatch>? Methods { get; set; }

    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PathMatch? Path { get; set; }

    [JsonPropertyName("sourceCIDR")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SourceCidrMatch? SourceCidr { get; set; }

    /// <summary>0..16, ANDed.</summary>
    [JsonPropertyName("queryParams")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<QueryParamMatch>? QueryParams { get; set; }
}
