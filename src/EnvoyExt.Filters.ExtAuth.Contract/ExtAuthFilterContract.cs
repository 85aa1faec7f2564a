namespace EnvoyExt.Filters.ExtAuth.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class ExtAuthFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "ext_auth";

    /// <summary><c>timeoutMs</c> when absent (Envoy's ext_authz default).</summary>
    public const int DefaultTimeoutMs = 200;

    /// <summary>The longest <c>timeoutMs</c> (60 s).</summary>
    public const int MaxTimeoutMs = 60_000;

    /// <summary>The largest <c>maxRequestBytes</c> (1 MiB).</summary>
    public const int MaxRequestBytesLimit = 1 << 20;

    /// <summary>The most names in <c>headersToExtAuth</c> or <c>headersToBackend</c>.</summary>
    public const int MaxHeaderNames = 64;

    /// <summary>The longest header name, cluster name or path prefix.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The longest header value the filter forwards to, or accepts from, the auth service.</summary>
    public const int MaxHeaderValueBytes = 8192;

    /// <summary>The most headers the filter accepts from one auth-service answer.</summary>
    public const int MaxResponseHeaders = 64;

    /// <summary>The largest auth-service answer body (denied body, gRPC message) the filter accepts.</summary>
    public const int MaxResponseBodyBytes = 64 * 1024;

    /// <summary><c>statusOnError</c> when absent.</summary>
    public const int DefaultStatusOnError = 403;

    /// <summary>Where an answer's dynamic metadata goes unless <c>metadataNamespace</c> says otherwise.</summary>
    public const string DefaultMetadataNamespace = "envoyext.ext_auth";

    /// <summary>At most this many dynamic-metadata entries are taken from one answer.</summary>
    public const int MaxMetadataEntries = 64;
}
