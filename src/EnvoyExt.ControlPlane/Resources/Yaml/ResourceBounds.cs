namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// A size bound the API server would enforce from a CRD's OpenAPI schema: <c>maxItems</c> of a list
/// or <c>maxLength</c> of a string. <see cref="Path"/> is a field path in which "[]" stands for every
/// item of a list, e.g. <c>spec.rules[].matches</c>.
/// </summary>
internal sealed record FieldBound(string Path, int? MaxItems = null, int? MaxLength = null);

/// <summary>A CEL rule of the form "the items of one nested list, summed over an outer list, are at most N".</summary>
internal sealed record SumBound(string OuterList, string InnerList, int Max, string What);

/// <summary>
/// The one table of size bounds the standalone provider enforces, so a folder cannot produce what
/// the API server would refuse: Gateway API v1.6 (<c>+kubebuilder:validation:MaxItems/MaxLength</c>
/// and the type-level bounds of ObjectName, Hostname, SectionName, ...), our policy CRDs
/// (<c>deploy/crds/</c>) and the core kinds we read. <see cref="BoundsChecker"/> applies it before a
/// document is mapped; the Kubernetes provider gets the same bounds from the API server itself.
/// </summary>
internal static class ResourceBounds
{
    // Gateway API type-level bounds (apis/v1/shared_types.go, object_reference_types.go).
    private const int ObjectName = 253;
    private const int Namespace = 63;
    private const int Kind = 63;
    private const int Group = 253;
    private const int SectionName = 253;
    private const int Hostname = 253;
    private const int HeaderName = 256;

    private static readonly FieldBound[] Metadata =
    [
        new("metadata.name", MaxLength: ObjectName),
        new("metadata.namespace", MaxLength: Namespace),
    ];

    private static FieldBound[] HeaderFilter(string at) =>
    [
        new($"{at}.set", MaxItems: 16),
        new($"{at}.set[].name", MaxLength: HeaderName),
        new($"{at}.set[].value", MaxLength: 4096),
        new($"{at}.add", MaxItems: 16),
        new($"{at}.add[].name", MaxLength: HeaderName),
        new($"{at}.add[].value", MaxLength: 4096),
        new($"{at}.remove", MaxItems: 16),
        new($"{at}.remove[]", MaxLength: HeaderName),
    ];

    private static FieldBound[] ObjectReference(string at) =>
    [
        new($"{at}.group", MaxLength: Group),
        new($"{at}.kind", MaxLength: Kind),
        new($"{at}.name", MaxLength: ObjectName),
        new($"{at}.namespace", MaxLength: Namespace),
    ];

    private static FieldBound[] RouteFilters(string at) =>
    [
        new(at, MaxItems: 16),
        .. HeaderFilter($"{at}[].requestHeaderModifier"),
        .. HeaderFilter($"{at}[].responseHeaderModifier"),
        .. ObjectReference($"{at}[].requestMirror.backendRef"),
        new($"{at}[].requestRedirect.hostname", MaxLength: Hostname),
        new($"{at}[].requestRedirect.path.replaceFullPath", MaxLength: 1024),
        new($"{at}[].requestRedirect.path.replacePrefixMatch", MaxLength: 1024),
        new($"{at}[].urlRewrite.hostname", MaxLength: Hostname),
        new($"{at}[].urlRewrite.path.replaceFullPath", MaxLength: 1024),
        new($"{at}[].urlRewrite.path.replacePrefixMatch", MaxLength: 1024),
        new($"{at}[].cors.allowOrigins", MaxItems: 64),
        new($"{at}[].cors.allowOrigins[]", MaxLength: 253),
        new($"{at}[].cors.allowMethods", MaxItems: 9),
        new($"{at}[].cors.allowHeaders", MaxItems: 64),
        new($"{at}[].cors.allowHeaders[]", MaxLength: HeaderName),
        new($"{at}[].cors.exposeHeaders", MaxItems: 64),
        new($"{at}[].cors.exposeHeaders[]", MaxLength: HeaderName),
    ];

    private static FieldBound[] CommonRoute =>
    [
        .. Metadata,
        new("spec.parentRefs", MaxItems: 32),
        .. ObjectReference("spec.parentRefs[]"),
        new("spec.parentRefs[].sectionName", MaxLength: SectionName),
        new("spec.hostnames", MaxItems: 16),
        new("spec.hostnames[]", MaxLength: Hostname),
        new("spec.rules", MaxItems: 16),
        new("spec.rules[].name", MaxLength: SectionName),
        new("spec.rules[].matches", MaxItems: 64),
        .. RouteFilters("spec.rules[].filters"),
        new("spec.rules[].backendRefs", MaxItems: 16),
        .. ObjectReference("spec.rules[].backendRefs[]"),
        .. RouteFilters("spec.rules[].backendRefs[].filters"),
    ];

    private static FieldBound[] RateLimit(string at) =>
    [
        new($"{at}.name", MaxLength: 128),
        new($"{at}.rules", MaxItems: 64),
        new($"{at}.rules[].name", MaxLength: 128),
        new($"{at}.rules[].clientSelectors", MaxItems: 8),
        new($"{at}.rules[].clientSelectors[].headers", MaxItems: 16),
        new($"{at}.rules[].clientSelectors[].headers[].name", MaxLength: 128),
        new($"{at}.rules[].clientSelectors[].headers[].value", MaxLength: 1024),
        new($"{at}.rules[].clientSelectors[].queryParams", MaxItems: 16),
        new($"{at}.rules[].clientSelectors[].queryParams[].name", MaxLength: 128),
        new($"{at}.rules[].clientSelectors[].queryParams[].value", MaxLength: 1024),
        new($"{at}.rules[].clientSelectors[].methods", MaxItems: 9),
        new($"{at}.rules[].clientSelectors[].path.value", MaxLength: 1024),
        new($"{at}.rules[].clientSelectors[].sourceCIDR.value", MaxLength: 64),
        new($"{at}.rules[].costFrom.header", MaxLength: 128),
        new($"{at}.rules[].costFrom.bodyField", MaxLength: 128),
        new($"{at}.rules[].shared", MaxLength: 128),
        new($"{at}.response.body", MaxLength: 65536),
        new($"{at}.response.headers", MaxItems: 16),
        new($"{at}.response.headers[].name", MaxLength: 128),
        new($"{at}.response.headers[].value", MaxLength: 1024),
    ];

    private static FieldBound[] Traffic(string at) =>
    [
        new($"{at}.faultInjection.name", MaxLength: 128),
        new($"{at}.faultInjection.headers", MaxItems: 16),
        new($"{at}.faultInjection.headers[].name", MaxLength: 1024),
        new($"{at}.faultInjection.headers[].exact", MaxLength: 1024),
        new($"{at}.faultInjection.headers[].prefix", MaxLength: 1024),
        new($"{at}.bandwidthLimit.name", MaxLength: 128),
        new($"{at}.concurrencyLimit.name", MaxLength: 128),
        new($"{at}.retry.retryOn", MaxItems: 16),
        new($"{at}.retry.retryOn[]", MaxLength: 32),
        new($"{at}.retry.retriableStatusCodes", MaxItems: 16),
        new($"{at}.timeouts.request", MaxLength: 32),
        new($"{at}.retry.perTryTimeout", MaxLength: 32),
        new($"{at}.retry.backoff.baseInterval", MaxLength: 32),
        new($"{at}.retry.backoff.maxInterval", MaxLength: 32),
    ];

    private static FieldBound[] Auth(string at) =>
    [
        new($"{at}.extAuth.backendRef.name", MaxLength: ObjectName),
        new($"{at}.extAuth.backendRef.namespace", MaxLength: Namespace),
        new($"{at}.extAuth.path", MaxLength: 1024),
        new($"{at}.extAuth.headersToExtAuth", MaxItems: 64),
        new($"{at}.extAuth.headersToExtAuth[]", MaxLength: HeaderName),
        new($"{at}.extAuth.headersToBackend", MaxItems: 64),
        new($"{at}.extAuth.headersToBackend[]", MaxLength: HeaderName),
        new($"{at}.extAuth.timeout", MaxLength: 32),
        new($"{at}.authentication.realm", MaxLength: 128),
        new($"{at}.authentication.apiKey.secretRef.name", MaxLength: ObjectName),
        new($"{at}.authentication.apiKey.secretRef.namespace", MaxLength: Namespace),
        new($"{at}.authentication.apiKey.from", MaxItems: 8),
        new($"{at}.authentication.apiKey.clientIdHeader", MaxLength: HeaderName),
        new($"{at}.authentication.basicAuth.secretRef.name", MaxLength: ObjectName),
        new($"{at}.authentication.basicAuth.secretRef.namespace", MaxLength: Namespace),
        new($"{at}.authentication.basicAuth.userHeader", MaxLength: HeaderName),
        new($"{at}.authentication.jwt.issuer", MaxLength: 1024),
        new($"{at}.authentication.jwt.audiences", MaxItems: 16),
        new($"{at}.authentication.jwt.audiences[]", MaxLength: 1024),
        new($"{at}.authentication.jwt.algorithms", MaxItems: 8),
        new($"{at}.authentication.jwt.from", MaxItems: 8),
        new($"{at}.authentication.jwt.jwks.inline", MaxLength: 262144),
        new($"{at}.authentication.jwt.jwks.secretRef.name", MaxLength: ObjectName),
        new($"{at}.authentication.jwt.jwks.secretRef.namespace", MaxLength: Namespace),
        new($"{at}.authentication.jwt.jwks.remote.uri", MaxLength: 2048),
        new($"{at}.authentication.jwt.jwks.remote.backendRef.name", MaxLength: ObjectName),
        new($"{at}.authentication.jwt.jwks.remote.backendRef.namespace", MaxLength: Namespace),
        new($"{at}.authentication.jwt.claimsToHeaders", MaxItems: 16),
        new($"{at}.authorization.rules", MaxItems: 64),
        new($"{at}.authorization.rules[].name", MaxLength: 128),
        new($"{at}.authorization.rules[].sourceCidrs", MaxItems: 16),
        new($"{at}.authorization.rules[].methods", MaxItems: 16),
        new($"{at}.authorization.rules[].pathPrefixes", MaxItems: 16),
        new($"{at}.authorization.rules[].headers", MaxItems: 16),
        new($"{at}.authorization.rules[].claims", MaxItems: 16),
    ];

    private static readonly Dictionary<string, FieldBound[]> ByKind = new(StringComparer.Ordinal)
    {
        ["GatewayClass"] =
        [
            .. Metadata,
            new("spec.controllerName", MaxLength: 253),
            new("spec.parametersRef.group", MaxLength: Group),
            new("spec.parametersRef.kind", MaxLength: Kind),
            new("spec.parametersRef.name", MaxLength: ObjectName),
            new("spec.parametersRef.namespace", MaxLength: Namespace),
        ],
        ["EnvoyExtParameters"] =
        [
            .. Metadata,
            new("spec.rateLimit.redis.addresses", MaxItems: 16),
            new("spec.rateLimit.redis.addresses[]", MaxLength: 255),
            new("spec.rateLimit.redis.keyPrefix", MaxLength: 128),
            new("spec.rateLimit.redis.username", MaxLength: 128),
            new("spec.rateLimit.redis.timeout", MaxLength: 32),
            new("spec.rateLimit.redis.passwordRef.name", MaxLength: ObjectName),
            new("spec.rateLimit.redis.passwordRef.key", MaxLength: ObjectName),
        ],
        ["Gateway"] =
        [
            .. Metadata,
            new("spec.gatewayClassName", MaxLength: ObjectName),
            new("spec.listeners", MaxItems: 64),
            new("spec.listeners[].name", MaxLength: SectionName),
            new("spec.listeners[].hostname", MaxLength: Hostname),
            new("spec.listeners[].tls.certificateRefs", MaxItems: 64),
            new("spec.tls.frontend.perPort", MaxItems: 64),
            new("spec.tls.frontend.default.validation.caCertificateRefs", MaxItems: 8),
            new("spec.tls.frontend.perPort[].tls.validation.caCertificateRefs", MaxItems: 8),
            new("spec.listeners[].allowedRoutes.kinds", MaxItems: 8),
            new("spec.listeners[].allowedRoutes.kinds[].group", MaxLength: Group),
            new("spec.listeners[].allowedRoutes.kinds[].kind", MaxLength: Kind),
            new("spec.addresses", MaxItems: 16),
            new("spec.addresses[].value", MaxLength: 253),
        ],
        ["HTTPRoute"] =
        [
            .. CommonRoute,
            new("spec.rules[].matches[].path.value", MaxLength: 1024),
            new("spec.rules[].matches[].headers", MaxItems: 16),
            new("spec.rules[].matches[].headers[].name", MaxLength: HeaderName),
            new("spec.rules[].matches[].headers[].value", MaxLength: 4096),
            new("spec.rules[].matches[].queryParams", MaxItems: 16),
            new("spec.rules[].matches[].queryParams[].name", MaxLength: HeaderName),
            new("spec.rules[].matches[].queryParams[].value", MaxLength: 1024),
        ],
        ["GRPCRoute"] =
        [
            .. CommonRoute,
            new("spec.rules[].matches[].method.service", MaxLength: 1024),
            new("spec.rules[].matches[].method.method", MaxLength: 1024),
            new("spec.rules[].matches[].headers", MaxItems: 16),
            new("spec.rules[].matches[].headers[].name", MaxLength: HeaderName),
            new("spec.rules[].matches[].headers[].value", MaxLength: 4096),
        ],
        // TLSRoute and TCPRoute share the route bounds (their rules carry no matches or filters).
        ["TLSRoute"] = CommonRoute,
        ["TCPRoute"] = CommonRoute,
        ["ReferenceGrant"] =
        [
            .. Metadata,
            new("spec.from", MaxItems: 16),
            new("spec.from[].group", MaxLength: Group),
            new("spec.from[].kind", MaxLength: Kind),
            new("spec.from[].namespace", MaxLength: Namespace),
            new("spec.to", MaxItems: 16),
            new("spec.to[].group", MaxLength: Group),
            new("spec.to[].kind", MaxLength: Kind),
            new("spec.to[].name", MaxLength: ObjectName),
        ],
        ["RateLimitPolicy"] =
        [
            .. Metadata,
            new("spec.targetRefs", MaxItems: 16),
            new("spec.targetRefs[].name", MaxLength: 253),
            new("spec.targetRefs[].sectionName", MaxLength: 253),
            .. RateLimit("spec.defaults.rateLimit"),
            .. RateLimit("spec.overrides.rateLimit"),
        ],
        ["TrafficPolicy"] =
        [
            .. Metadata,
            new("spec.targetRefs", MaxItems: 16),
            new("spec.targetRefs[].name", MaxLength: 253),
            new("spec.targetRefs[].sectionName", MaxLength: 253),
            .. Traffic("spec.defaults"),
            .. Traffic("spec.overrides"),
        ],
        ["AuthPolicy"] =
        [
            .. Metadata,
            new("spec.targetRefs", MaxItems: 16),
            new("spec.targetRefs[].name", MaxLength: 253),
            new("spec.targetRefs[].sectionName", MaxLength: 253),
            .. Auth("spec.defaults"),
            .. Auth("spec.overrides"),
        ],
        ["BackendTLSPolicy"] =
        [
            .. Metadata,
            new("spec.targetRefs", MaxItems: 16),
            .. ObjectReference("spec.targetRefs[]"),
            new("spec.targetRefs[].sectionName", MaxLength: SectionName),
            new("spec.validation.caCertificateRefs", MaxItems: 8),
            .. ObjectReference("spec.validation.caCertificateRefs[]"),
            new("spec.validation.hostname", MaxLength: Hostname),
            new("spec.validation.subjectAltNames", MaxItems: 5),
            new("spec.validation.subjectAltNames[].hostname", MaxLength: Hostname),
            new("spec.validation.subjectAltNames[].uri", MaxLength: 253),
        ],
        ["Service"] = [.. Metadata],
        ["EndpointSlice"] =
        [
            .. Metadata,
            new("endpoints", MaxItems: 1000),
            new("endpoints[].addresses", MaxItems: 100),
            new("ports", MaxItems: 100),
        ],
        ["Secret"] = [.. Metadata],
        ["Namespace"] = [.. Metadata],
    };

    /// <summary>The CEL rule both route kinds carry: 16 rules of 64 matches are allowed, but at most 128 matches in all.</summary>
    private static readonly SumBound[] RouteSums = [new("spec.rules", "matches", 128, "matches across all rules")];

    public static IReadOnlyList<FieldBound> Fields(string kind) => ByKind.TryGetValue(kind, out var bounds) ? bounds : [];

    public static IReadOnlyList<SumBound> Sums(string kind) => kind is "HTTPRoute" or "GRPCRoute" ? RouteSums : [];
}
