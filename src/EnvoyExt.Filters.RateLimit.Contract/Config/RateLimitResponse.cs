using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>How limited requests are answered and which rate-limit headers are sent.</summary>
public sealed class RateLimitResponse
{
    /// <summary>400..599, default 429.</summary>
    [JsonPropertyName("statusCode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StatusCode { get; set; }

    /// <summary>Body of the limited response, default empty.</summary>
    [JsonPropertyName("body")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Body { get; set; }

    /// <summary>Added to the limited response.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ResponseHeader>? Headers { get; set; }

    /// <summary>x-ratelimit-limit / -remaining / -reset on every matched response (default true).</summary>
    [JsonPropertyName("rateLimitHeaders")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? RateLimitHeaders { get; set; }

    /// <summary>Which headers <see cref="RateLimitHeaders"/> sends: Draft03 (default), IETF or Both.</summary>
    [JsonPropertyName("rateLimitHeadersFormat")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RateLimitHeadersFormat? RateLimitHeadersFormat { get; set; }

    /// <summary>retry-after on limited responses (default true).</summary>
    [JsonPropertyName("retryAfter")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? RetryAfter { get; set; }
}
