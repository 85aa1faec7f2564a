using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>JWT validation: where the token is, which keys sign it, what it must say.</summary>
public sealed class JwtConfig
{
    /// <summary>The required <c>iss</c>; not checked when absent.</summary>
    [JsonPropertyName("issuer")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Issuer { get; set; }

    /// <summary>The token's <c>aud</c> must name one of these; not checked when absent.</summary>
    [JsonPropertyName("audiences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Audiences { get; set; }

    /// <summary>Tolerance for exp/nbf, in seconds (default 60, at most 600).</summary>
    [JsonPropertyName("clockSkewSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ClockSkewSeconds { get; set; }

    /// <summary>Accepted algorithms; every supported one when absent.</summary>
    [JsonPropertyName("algorithms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Algorithms { get; set; }

    /// <summary>Where the token is read, first found wins; <c>Authorization: Bearer</c> when absent.</summary>
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CredentialSource>? From { get; set; }

    /// <summary>Keep the token on the upstream request (removed by default).</summary>
    [JsonPropertyName("keepToken")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeepToken { get; set; }

    [JsonPropertyName("jwks")]
    public JwksSource? Jwks { get; set; }

    /// <summary>Claims copied to request headers (e.g. <c>sub</c> for a rate limit keyed on the subject).</summary>
    [JsonPropertyName("claimsToHeaders")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ClaimToHeader>? ClaimsToHeaders { get; set; }

    /// <summary>Verified tokens remembered per worker (default 1024); each entry keeps the token's bytes.</summary>
    [JsonPropertyName("cacheSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CacheSize { get; set; }
}

/// <summary>Exactly one of: an inline JWKS (public keys only), a generic secret holding a JWKS, or a remote JWKS.</summary>
public sealed class JwksSource
{
    /// <summary>A JWKS document as a string; symmetric (<c>oct</c>) keys are refused here.</summary>
    [JsonPropertyName("inline")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Inline { get; set; }

    /// <summary>A generic secret holding a JWKS (the only place HMAC keys may come from).</summary>
    [JsonPropertyName("secret")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; set; }

    [JsonPropertyName("remote")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RemoteJwks? Remote { get; set; }
}

/// <summary>A JWKS fetched through an Envoy cluster.</summary>
public sealed class RemoteJwks
{
    /// <summary>The Envoy cluster serving the JWKS.</summary>
    [JsonPropertyName("cluster")]
    public string? Cluster { get; set; }

    /// <summary>The :authority of the fetch.</summary>
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    /// <summary>The :path of the fetch, starting with '/'.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>Fetch timeout (default 5000 ms, 1..60000).</summary>
    [JsonPropertyName("timeoutMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutMs { get; set; }

    /// <summary>Age after which a request starts a refresh while the cached keys keep serving (default 300 s, 10..86400).</summary>
    [JsonPropertyName("refreshSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RefreshSeconds { get; set; }
}

/// <summary>One claim copied to one request header.</summary>
public sealed class ClaimToHeader
{
    [JsonPropertyName("claim")]
    public string? Claim { get; set; }

    [JsonPropertyName("header")]
    public string? Header { get; set; }
}
