using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>A kind the provider lists and watches, and the URL path it is served under.</summary>
public sealed record WatchedKind(string Group, string Version, string Plural, string Kind, bool Namespaced, string? FieldSelector = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The collection path, all namespaces when <paramref name="ns"/> is null.</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;
        return Namespaced && ns is not null ? $"{root}/namespaces/{ns}/{Plural}" : $"{root}/{Plural}";
    }

    /// <summary>The object path (for the status subresource add "/status").</summary>
    public string ObjectPath(string ns, string name) => CollectionPath(Namespaced ? ns : null) + "/" + name;

    /// <summary>
    /// Every kind the translator reads. Secrets of every type (listeners read TLS ones and
    /// CA bundles, policies generic ones); ConfigMaps
    /// hold client-certificate CA bundles (only their ca.crt is kept). TLSRoute and
    /// TCPRoute are read at v1alpha2, the version every Gateway API experimental channel serves them
    /// at; the readers accept every served version, so objects stored as a later one read the same.
    /// </summary>
    public static IReadOnlyList<WatchedKind> All { get; } =
    [
        new(GroupNames.GatewayApi, "v1", "gatewayclasses", "GatewayClass", false),
        new(GroupNames.GatewayApi, "v1", "gateways", "Gateway", true),
        new(GroupNames.GatewayApi, "v1", "httproutes", "HTTPRoute", true),
        new(GroupNames.GatewayApi, "v1", "grpcroutes", "GRPCRoute", true),
        new(GroupNames.GatewayApi, "v1alpha2", "tlsroutes", "TLSRoute", true),
        new(GroupNames.GatewayApi, "v1alpha2", "tcproutes", "TCPRoute", true),
        new(GroupNames.GatewayApi, "v1beta1", "referencegrants", "ReferenceGrant", true),
        new(GroupNames.GatewayApi, "v1", "backendtlspolicies", "BackendTLSPolicy", true),
        new("", "v1", "services", "Service", true),
        new(GroupNames.Discovery, "v1", "endpointslices", "EndpointSlice", true),
        new("", "v1", "secrets", "Secret", true),
        new("", "v1", "configmaps", "ConfigMap", true),
        new("", "v1", "namespaces", "Namespace", false),
        new(GroupNames.EnvoyExt, "v1alpha1", "ratelimitpolicies", "RateLimitPolicy", true),
        new(GroupNames.EnvoyExt, "v1alpha1", "trafficpolicies", "TrafficPolicy", true),
        new(GroupNames.EnvoyExt, "v1alpha1", "authpolicies", "AuthPolicy", true),
        new(GroupNames.EnvoyExt, "v1alpha1", "envoyextparameters", "EnvoyExtParameters", true),
    ];
}
