using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Where a rule reads what a request really cost once its response is known: exactly one of a response header
/// (an integer) or a JSON field of the response body (a dotted path of object members such as
/// <c>usage.total_tokens</c>, as LLM APIs answer). What it says beyond the rule's <c>cost</c> is charged after
/// the response.
/// </summary>
public sealed class ResponseCostSource
{
    /// <summary>A response header whose value is a non-negative integer.</summary>
    [JsonPropertyName("header")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Header { get; set; }

    /// <summary>A dotted path of object members in a JSON response body; the member's value is a non-negative integer.</summary>
    [JsonPropertyName("bodyField")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BodyField { get; set; }

    /// <summary>With <see cref="BodyField"/>: the most body bytes kept and inspected (default 64 KiB).</summary>
    [JsonPropertyName("maxBodyBytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxBodyBytes { get; set; }
}
