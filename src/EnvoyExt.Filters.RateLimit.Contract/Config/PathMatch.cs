using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>A condition on the path of <c>:path</c> (the query string is ignored).</summary>
public sealed class PathMatch
{
    [JsonPropertyName("type")]
    public PathMatchType Type { get; set; } = PathMatchType.PathPrefix;

    /// <summary>Starts with '/' for Exact and PathPrefix; a full-match regex for RegularExpression.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("invert")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Invert { get; set; }
}
