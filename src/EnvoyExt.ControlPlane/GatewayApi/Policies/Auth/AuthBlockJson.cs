using System.Text.Json.Serialization;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>
/// One <c>defaults</c> or <c>overrides</c> block of an AuthPolicy, as written in the CRD. The
/// sections are shaped like the filters' documents, with references (Secrets, Services, durations)
/// where the documents hold resolved names; <see cref="AuthSections"/> turns them into the documents.
/// </summary>
internal sealed class AuthBlock
{
    /// <summary>Switches every section off below this block (alone in the block).</summary>
    [JsonPropertyName("disabled")]
    public bool Disabled { get; set; }

    [JsonPropertyName("extAuth")]
    public ExtAuthSection? ExtAuth { get; set; }

    [JsonPropertyName("authentication")]
    public AuthenticationSection? Authentication { get; set; }

    /// <summary>The auth filter's own authorization rules, field for field.</summary>
    [JsonPropertyName("authorization")]
    public AuthorizationConfig? Authorization { get; set; }
}

/// <summary>A core Service port (group "" and kind Service are the only ones accepted).</summary>
internal sealed class ServiceRef
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}

/// <summary>A core Secret; another namespace needs a ReferenceGrant there.</summary>
internal sealed class SecretRef
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>A ConfigMap or Secret in the policy's namespace whose ca.crt is a PEM CA bundle.</summary>
internal sealed class CaCertificateRef
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

internal sealed class ExtAuthSection
{
    /// <summary>HTTP or GRPC.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("backendRef")]
    public ServiceRef? BackendRef { get; set; }

    /// <summary>HTTP only: prefix of the check request's path.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("headersToExtAuth")]
    public List<string>? HeadersToExtAuth { get; set; }

    /// <summary>HTTP only: headers of the service's 2xx answer copied onto the upstream request.</summary>
    [JsonPropertyName("headersToBackend")]
    public List<string>? HeadersToBackend { get; set; }

    [JsonPropertyName("forwardBody")]
    public ForwardBody? ForwardBody { get; set; }

    [JsonPropertyName("failOpen")]
    public bool? FailOpen { get; set; }

    [JsonPropertyName("statusOnError")]
    public int? StatusOnError { get; set; }

    /// <summary>A Gateway API duration, e.g. "200ms".</summary>
    [JsonPropertyName("timeout")]
    public string? Timeout { get; set; }
}

internal sealed class ForwardBody
{
    [JsonPropertyName("maxSize")]
    public int? MaxSize { get; set; }

    [JsonPropertyName("allowPartial")]
    public bool? AllowPartial { get; set; }
}

internal sealed class AuthenticationSection
{
    [JsonPropertyName("combine")]
    public string? Combine { get; set; }

    [JsonPropertyName("realm")]
    public string? Realm { get; set; }

    [JsonPropertyName("apiKey")]
    public ApiKeySection? ApiKey { get; set; }

    [JsonPropertyName("basicAuth")]
    public BasicAuthSection? BasicAuth { get; set; }

    [JsonPropertyName("jwt")]
    public JwtSection? Jwt { get; set; }
}

/// <summary>API keys from a Secret: each data entry is a client id and its key.</summary>
internal sealed class ApiKeySection
{
    [JsonPropertyName("secretRef")]
    public SecretRef? SecretRef { get; set; }

    [JsonPropertyName("from")]
    public List<CredentialSource>? From { get; set; }

    [JsonPropertyName("clientIdHeader")]
    public string? ClientIdHeader { get; set; }

    [JsonPropertyName("keepCredential")]
    public bool KeepCredential { get; set; }
}

/// <summary>htpasswd lines from a Secret's <c>.htpasswd</c> entry.</summary>
internal sealed class BasicAuthSection
{
    [JsonPropertyName("secretRef")]
    public SecretRef? SecretRef { get; set; }

    [JsonPropertyName("userHeader")]
    public string? UserHeader { get; set; }

    [JsonPropertyName("keepCredential")]
    public bool KeepCredential { get; set; }

    [JsonPropertyName("cacheSize")]
    public int? CacheSize { get; set; }
}

internal sealed class JwtSection
{
    [JsonPropertyName("issuer")]
    public string? Issuer { get; set; }

    [JsonPropertyName("audiences")]
    public List<string>? Audiences { get; set; }

    [JsonPropertyName("clockSkewSeconds")]
    public int? ClockSkewSeconds { get; set; }

    [JsonPropertyName("algorithms")]
    public List<string>? Algorithms { get; set; }

    [JsonPropertyName("from")]
    public List<CredentialSource>? From { get; set; }

    [JsonPropertyName("keepToken")]
    public bool KeepToken { get; set; }

    [JsonPropertyName("jwks")]
    public JwksSection? Jwks { get; set; }

    [JsonPropertyName("claimsToHeaders")]
    public List<ClaimToHeader>? ClaimsToHeaders { get; set; }

    [JsonPropertyName("cacheSize")]
    public int? CacheSize { get; set; }
}

/// <summary>Exactly one of an inline JWKS, a Secret's <c>jwks</c> entry, or a remote JWKS.</summary>
internal sealed class JwksSection
{
    [JsonPropertyName("inline")]
    public string? Inline { get; set; }

    [JsonPropertyName("secretRef")]
    public SecretRef? SecretRef { get; set; }

    [JsonPropertyName("remote")]
    public RemoteJwksSection? Remote { get; set; }
}

/// <summary>
/// A JWKS URL fetched through a Service (the URL gives the Host header and the path; an https URL
/// also the SNI and the name the server's certificate must carry).
/// </summary>
internal sealed class RemoteJwksSection
{
    [JsonPropertyName("uri")]
    public string? Uri { get; set; }

    /// <summary>https only: ConfigMaps or Secrets (ca.crt) in the policy's namespace trusted for the JWKS server; none: the system trust store.</summary>
    [JsonPropertyName("caCertificateRefs")]
    public List<CaCertificateRef>? CaCertificateRefs { get; set; }

    [JsonPropertyName("backendRef")]
    public ServiceRef? BackendRef { get; set; }

    /// <summary>A Gateway API duration.</summary>
    [JsonPropertyName("timeout")]
    public string? Timeout { get; set; }

    /// <summary>A Gateway API duration: how old the keys may get before a background refresh.</summary>
    [JsonPropertyName("refreshInterval")]
    public string? RefreshInterval { get; set; }
}

/// <summary>Source-generated reader of an AuthPolicy block: unknown fields are errors, names case-sensitive.</summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(AuthBlock))]
internal sealed partial class AuthBlockJsonContext : JsonSerializerContext;
