using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>
/// The filter_config document of <c>auth</c> (docs/filters/auth.md). At listener level it configures the
/// methods; per route it may only say <c>{"disabled": true}</c>. Secrets are named, never inlined.
/// </summary>
public sealed class AuthConfig
{
    /// <summary>Metric label <c>policy</c>; <c>"default"</c> when absent.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>The realm in WWW-Authenticate challenges; <c>"envoyext"</c> when absent.</summary>
    [JsonPropertyName("realm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Realm { get; set; }

    /// <summary>How the configured methods combine; <c>all</c> when absent.</summary>
    [JsonPropertyName("combine")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Combine { get; set; }

    [JsonPropertyName("apiKey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ApiKeyConfig? ApiKey { get; set; }

    [JsonPropertyName("basicAuth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BasicAuthConfig? BasicAuth { get; set; }

    [JsonPropertyName("jwt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JwtConfig? Jwt { get; set; }

    [JsonPropertyName("authorization")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AuthorizationConfig? Authorization { get; set; }

    /// <summary>
    /// Where the named secrets come from: <c>"static"</c> (the default: Envoy's bootstrap) or <c>"ads"</c>
    /// (served over the node's ADS stream, as the controller does).
    /// </summary>
    [JsonPropertyName("secretSource")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SecretSource { get; set; }

    /// <summary>Per-route only: <c>{"disabled": true}</c> turns the filter off and must be the only field.</summary>
    [JsonPropertyName("disabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Disabled { get; set; }
}

/// <summary>Where a credential is read from: exactly one of header, query or cookie.</summary>
public sealed class CredentialSource
{
    /// <summary>A request header name (case-insensitive).</summary>
    [JsonPropertyName("header")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Header { get; set; }

    /// <summary>With <see cref="Header"/>: a prefix the value must start with (case-insensitive), e.g. <c>"Bearer "</c>.</summary>
    [JsonPropertyName("prefix")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prefix { get; set; }

    /// <summary>A query parameter name (matched and read without percent-decoding).</summary>
    [JsonPropertyName("query")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Query { get; set; }

    /// <summary>A cookie name.</summary>
    [JsonPropertyName("cookie")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cookie { get; set; }
}

/// <summary>API keys from a generic secret of <c>client-id:key</c> lines.</summary>
public sealed class ApiKeyConfig
{
    /// <summary>The generic secret holding the keys.</summary>
    [JsonPropertyName("secret")]
    public string? Secret { get; set; }

    /// <summary>Where the key is read, first found wins; <c>[{"header": "x-api-key"}]</c> when absent.</summary>
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CredentialSource>? From { get; set; }

    /// <summary>The header the matched client id is forwarded in; none when absent.</summary>
    [JsonPropertyName("clientIdHeader")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientIdHeader { get; set; }

    /// <summary>Keep the key on the upstream request (it is removed by default).</summary>
    [JsonPropertyName("keepCredential")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeepCredential { get; set; }
}

/// <summary>Basic auth against htpasswd entries held in a generic secret.</summary>
public sealed class BasicAuthConfig
{
    /// <summary>The generic secret holding htpasswd lines (<c>{SHA}</c> and bcrypt).</summary>
    [JsonPropertyName("secret")]
    public string? Secret { get; set; }

    /// <summary>The header the user name is forwarded in; none when absent.</summary>
    [JsonPropertyName("userHeader")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserHeader { get; set; }

    /// <summary>Keep the Authorization header on the upstream request (removed by default).</summary>
    [JsonPropertyName("keepCredential")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeepCredential { get; set; }

    /// <summary>Verified bcrypt credentials remembered per worker (default 1024).</summary>
    [JsonPropertyName("cacheSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CacheSize { get; set; }
}
