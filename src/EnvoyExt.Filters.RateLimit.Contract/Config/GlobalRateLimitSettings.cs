using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// How <c>Global</c> rules share their buckets: the Redis they lease tokens from, the lease size, and what
/// happens when Redis cannot answer in time. Listener level only (one connection per filter config).
/// </summary>
public sealed class GlobalRateLimitSettings
{
    /// <summary>Required: where Redis is.</summary>
    [JsonPropertyName("redis")]
    public RedisSettings? Redis { get; set; }

    /// <summary>Most tokens one lease takes (default 100); leases shrink near the limit.</summary>
    [JsonPropertyName("batch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Batch { get; set; }

    /// <summary>
    /// When Redis is unreachable or slower than the timeout: true (default) falls back to the rule's local
    /// limit in this process; false answers <see cref="FailureStatusCode"/>.
    /// </summary>
    [JsonPropertyName("failOpen")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FailOpen { get; set; }

    /// <summary>Status of a request refused because Redis failed and <see cref="FailOpen"/> is false (default 503).</summary>
    [JsonPropertyName("failureStatusCode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FailureStatusCode { get; set; }

    /// <summary>Requests that may wait for the lease of one bucket (default 1024); more are treated as a Redis failure.</summary>
    [JsonPropertyName("maxWaiting")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxWaiting { get; set; }
}

/// <summary>The Redis connection of <see cref="GlobalRateLimitSettings"/>. The password is an SDS generic secret, never inline.</summary>
public sealed class RedisSettings
{
    /// <summary>1..16 <c>host:port</c> endpoints (a primary and replicas, or Redis Cluster nodes).</summary>
    [JsonPropertyName("addresses")]
    public List<string>? Addresses { get; set; }

    /// <summary>Connect with TLS (server certificate validated against the system trust store).</summary>
    [JsonPropertyName("tls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Tls { get; set; }

    /// <summary>Database number, 0..15 (default 0).</summary>
    [JsonPropertyName("database")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Database { get; set; }

    /// <summary>Prefix of every key (default <c>envoyext:rl</c>); lets several deployments share one Redis.</summary>
    [JsonPropertyName("keyPrefix")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyPrefix { get; set; }

    /// <summary>Most milliseconds a request waits for Redis (default 100, 1..10000).</summary>
    [JsonPropertyName("timeoutMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutMs { get; set; }

    /// <summary>ACL user name (optional; the password alone authenticates the default user).</summary>
    [JsonPropertyName("username")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Username { get; set; }

    /// <summary>Name of the SDS generic secret holding the password (optional).</summary>
    [JsonPropertyName("passwordSecret")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PasswordSecret { get; set; }

    /// <summary>
    /// Where Envoy gets <see cref="PasswordSecret"/>: <c>Static</c> (default, bootstrap <c>static_resources.secrets</c>)
    /// or <c>Ads</c> (served over the node's ADS stream, as the controller does).
    /// </summary>
    [JsonPropertyName("passwordSecretSource")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PasswordSecretSource { get; set; }
}
