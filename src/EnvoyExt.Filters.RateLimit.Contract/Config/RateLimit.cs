using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary><c>requests</c> tokens per <c>unit</c> window.</summary>
public sealed class RateLimit
{
    public RateLimit() { }

    public RateLimit(long requests, RateLimitUnit unit)
    {
        Requests = requests;
        Unit = unit;
    }

    /// <summary>At least 1. Kept as long so a negative or oversized value is reported as given.</summary>
    [JsonPropertyName("requests")]
    public long Requests { get; set; }

    [JsonPropertyName("unit")]
    public RateLimitUnit Unit { get; set; } = RateLimitUnit.Second;
}
