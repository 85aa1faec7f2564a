using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>A condition on the downstream address (<c>source.address</c>).</summary>
public sealed class SourceCidrMatch
{
    /// <summary>Exact: the whole CIDR shares one bucket. Distinct: one bucket per client IP inside it.</summary>
    [JsonPropertyName("type")]
    public SourceCidrMatchType Type { get; set; } = SourceCidrMatchType.Exact;

    /// <summary>An IPv4 or IPv6 CIDR such as <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }

    /// <summary>Negates the condition; not allowed for Distinct.</summary>
    [JsonPropertyName("invert")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Invert { get; set; }
}
