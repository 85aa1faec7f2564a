namespace EnvoyExt.ControlPlane.Resources;

public sealed record HttpRoute : KubernetesResource
{
    public override string Kind => "HTTPRoute";

    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    public IReadOnlyList<string> Hostnames { get; init; } = [];

    public IReadOnlyList<HttpRouteRule> Rules { get; init; } = [];
}

public sealed record HttpRouteRule
{
    public string? Name { get; init; }

    /// <summary>Empty = one match of PathPrefix "/".</summary>
    public IReadOnlyList<HttpRouteMatch> Matches { get; init; } = [];

    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];

    public IReadOnlyList<BackendReference> BackendRefs { get; init; } = [];

    /// <summary>spec.rules[].timeouts: Gateway API durations as written (validated by the translator).</summary>
    public HttpRouteTimeouts? Timeouts { get; init; }

    /// <summary>spec.rules[].retry (GEP-1731, experimental): validated by the translator.</summary>
    public HttpRouteRetry? Retry { get; init; }
}

/// <summary>HTTPRoute rule retry: the status codes to retry on, the retries allowed, the back-off as written.</summary>
public sealed record HttpRouteRetry(IReadOnlyList<int> Codes, int? Attempts, string? Backoff);

/// <summary>HTTPRoute rule timeouts (GEP-1742): the whole request, and one request to a backend.</summary>
public sealed record HttpRouteTimeouts(string? Request, string? BackendRequest);

public sealed record HttpRouteMatch
{
    public HttpPathMatch? Path { get; init; }

    public IReadOnlyList<NameValueMatch> Headers { get; init; } = [];

    public IReadOnlyList<NameValueMatch> QueryParams { get; init; } = [];

    public string? Method { get; init; }
}

/// <summary>Type is Exact, PathPrefix (default) or RegularExpression.</summary>
public sealed record HttpPathMatch(string Type, string Value);

/// <summary>Header or query-parameter match; Type is Exact (default) or RegularExpression.</summary>
public sealed record NameValueMatch(string Type, string Name, string Value);

/// <summary>
/// One entry of rules[].filters. Type says which of the nested blocks is meant; the others are null.
/// </summary>
public sealed record HttpRouteFilter
{
    public required string Type { get; init; }

    public HeaderModifier? RequestHeaderModifier { get; init; }

    public HeaderModifier? ResponseHeaderModifier { get; init; }

    public RequestRedirect? RequestRedirect { get; init; }

    public UrlRewrite? UrlRewrite { get; init; }

    public RequestMirror? RequestMirror { get; init; }

    /// <summary>GEP-1494 (experimental channel): ask an authorization service before forwarding.</summary>
    public ExternalAuthFilter? ExternalAuth { get; init; }

    /// <summary>GEP-1767 (standard since v1.6): answer CORS preflights and mark cross-origin responses.</summary>
    public CorsFilter? Cors { get; init; }
}

/// <summary>The HTTPRoute <c>CORS</c> filter as written; the translator validates each list.</summary>
public sealed record CorsFilter
{
    /// <summary><c>scheme://host[:port]</c>, the host possibly with <c>*</c> wildcards, or <c>*</c> alone.</summary>
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    public bool AllowCredentials { get; init; }

    public IReadOnlyList<string> AllowMethods { get; init; } = [];

    public IReadOnlyList<string> AllowHeaders { get; init; } = [];

    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];

    /// <summary>Seconds a preflight answer may be cached; the CRD's default is 5.</summary>
    public int MaxAge { get; init; } = 5;
}

public sealed record HeaderModifier
{
    public IReadOnlyList<KeyValuePair<string, string>> Set { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Add { get; init; } = [];

    public IReadOnlyList<string> Remove { get; init; } = [];
}

/// <summary>Type is ReplaceFullPath or ReplacePrefixMatch; Value is the matching field.</summary>
public sealed record HttpPathModifier(string Type, string Value);

public sealed record RequestRedirect
{
    public string? Scheme { get; init; }

    public string? Hostname { get; init; }

    public HttpPathModifier? Path { get; init; }

    public int? Port { get; init; }

    public int StatusCode { get; init; } = 302;
}

public sealed record UrlRewrite
{
    public string? Hostname { get; init; }

    public HttpPathModifier? Path { get; init; }
}

public sealed record RequestMirror
{
    public required BackendReference BackendRef { get; init; }

    /// <summary>0..100; null with Fraction null = every request.</summary>
    public int? Percent { get; init; }

    public (int Numerator, int Denominator)? Fraction { get; init; }
}

/// <summary>The HTTPRoute <c>ExternalAuth</c> filter (GEP-1494): the service, its protocol and what travels to and from it.</summary>
public sealed record ExternalAuthFilter
{
    /// <summary><c>HTTP</c> or <c>GRPC</c>.</summary>
    public required string Protocol { get; init; }

    public required BackendReference BackendRef { get; init; }

    /// <summary><c>http.path</c>: prefix of the check request's path.</summary>
    public string? HttpPath { get; init; }

    /// <summary><c>http.allowedHeaders</c> or <c>grpc.allowedHeaders</c>: request headers sent to the service.</summary>
    public IReadOnlyList<string> AllowedHeaders { get; init; } = [];

    /// <summary><c>http.allowedResponseHeaders</c>: headers of an allowing answer copied upstream.</summary>
    public IReadOnlyList<string> AllowedResponseHeaders { get; init; } = [];

    /// <summary><c>forwardBody.maxSize</c>: body bytes sent with the check.</summary>
    public int? ForwardBodyMaxSize { get; init; }
}
