using System.Text.Json.Serialization;

namespace EnvoyExt.Filters.ExtAuth.Config;

/// <summary>How the filter talks to the authorization service.</summary>
public enum ExtAuthProtocol
{
    /// <summary>A plain HTTP request per check; a 2xx answer allows.</summary>
    Http,

    /// <summary><c>envoy.service.auth.v3.Authorization/Check</c> over HTTP/2.</summary>
    Grpc,
}

/// <summary>The filter_config document of <c>ext_auth</c> (docs/filters/ext-auth.md), listener or per route.</summary>
public sealed class ExtAuthConfig
{
    /// <summary>A route-only switch: <c>{"disabled": true}</c> skips the check on that route.</summary>
    [JsonPropertyName("disabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Disabled { get; set; }

    /// <summary><c>"http"</c> (default) or <c>"grpc"</c>.</summary>
    [JsonPropertyName("protocol")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Protocol { get; set; }

    /// <summary>The Envoy cluster of the authorization service (required unless disabled).</summary>
    [JsonPropertyName("cluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; set; }

    /// <summary>The <c>:authority</c> of gRPC checks; the cluster name when absent.</summary>
    [JsonPropertyName("authority")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Authority { get; set; }

    /// <summary>Check timeout in milliseconds (default 200, 1..60,000).</summary>
    [JsonPropertyName("timeoutMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutMs { get; set; }

    /// <summary>HTTP mode: prepended to the request path of the check request (starts with '/').</summary>
    [JsonPropertyName("pathPrefix")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PathPrefix { get; set; }

    /// <summary>Request headers sent to the service besides the defaults (lower-case names).</summary>
    [JsonPropertyName("headersToExtAuth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? HeadersToExtAuth { get; set; }

    /// <summary>HTTP mode: headers of an allowing answer copied onto the upstream request.</summary>
    [JsonPropertyName("headersToBackend")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? HeadersToBackend { get; set; }

    /// <summary>Request body bytes sent with the check (0, the default, sends none; at most 1 MiB).</summary>
    [JsonPropertyName("maxRequestBytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxRequestBytes { get; set; }

    /// <summary>A body over <see cref="MaxRequestBytes"/> is sent cut instead of answered with 413.</summary>
    [JsonPropertyName("allowPartialMessage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AllowPartialMessage { get; set; }

    /// <summary>Status of the local reply when the check fails (timeout, transport error, 5xx, bad answer); default 403.</summary>
    [JsonPropertyName("statusOnError")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StatusOnError { get; set; }

    /// <summary>Let the request through when the check fails (counted as failed_open).</summary>
    /// <summary>
    /// gRPC mode: the dynamic-metadata namespace the answer's <c>dynamic_metadata</c> is written under
    /// (default <see cref="ExtAuthFilterContract.DefaultMetadataNamespace"/>, the HTTP filter name the
    /// controller gives this filter, as Envoy's ext_authz writes under its own filter name).
    /// </summary>
    [JsonPropertyName("metadataNamespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MetadataNamespace { get; set; }

    [JsonPropertyName("failOpen")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FailOpen { get; set; }

    /// <summary>The protocol as an enum (validated).</summary>
    [JsonIgnore]
    public ExtAuthProtocol ParsedProtocol => Protocol == "grpc" ? ExtAuthProtocol.Grpc : ExtAuthProtocol.Http;

    /// <summary>The document a route uses to switch the check off.</summary>
    public static ExtAuthConfig DisabledForRoute() => new() { Disabled = true };
}
