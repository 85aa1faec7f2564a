using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>A condition on <c>:method</c>; a selector's methods are ORed.</summary>
public sealed class MethodMatch
{
    /// <summary>One of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("invert")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Invert { get; set; }
}
