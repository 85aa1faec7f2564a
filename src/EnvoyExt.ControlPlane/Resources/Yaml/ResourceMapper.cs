namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>Dispatches a document to the reader of its kind; null for kinds we do not handle.</summary>
internal static class ResourceMapper
{
    public static KubernetesResource? Map(YamlCursor doc)
    {
        var apiVersion = doc.String("apiVersion");
        var kind = doc.String("kind");
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (!IsSupported(group, version, kind))
        {
            return null;
        }

        // Sizes first, as the API server validates the schema before anything reads the object.
        BoundsChecker.Check(doc, kind);
        return (group, kind) switch
        {
            (GroupNames.GatewayApi, "GatewayClass") => GatewayApiMapper.GatewayClass(doc),
            (GroupNames.GatewayApi, "Gateway") => GatewayApiMapper.Gateway(doc),
            (GroupNames.GatewayApi, "HTTPRoute") => GatewayApiMapper.HttpRoute(doc),
            (GroupNames.GatewayApi, "GRPCRoute") => GatewayApiMapper.GrpcRoute(doc),
            (GroupNames.GatewayApi, "TLSRoute") => GatewayApiMapper.TlsRoute(doc),
            (GroupNames.GatewayApi, "TCPRoute") => GatewayApiMapper.TcpRoute(doc),
            (GroupNames.GatewayApi, "ReferenceGrant") => GatewayApiMapper.ReferenceGrant(doc),
            (GroupNames.GatewayApi, "BackendTLSPolicy") => GatewayApiMapper.BackendTlsPolicy(doc),
            ("", "Service") => CoreMapper.Service(doc),
            (GroupNames.Discovery, "EndpointSlice") => CoreMapper.EndpointSlice(doc),
            ("", "Secret") => CoreMapper.Secret(doc),
            ("", "ConfigMap") => CoreMapper.ConfigMap(doc),
            ("", "Namespace") => CoreMapper.Namespace(doc),
            (GroupNames.EnvoyExt, EnvoyExtParameters.KindName) => ParametersMapper.EnvoyExtParameters(doc),
            _ => PolicyMapper.Map(group, version, kind, doc),
        };
    }

    private static bool IsSupported(string group, string version, string kind) => (group, kind) switch
    {
        (GroupNames.GatewayApi, "GatewayClass" or "Gateway" or "HTTPRoute" or "ReferenceGrant") => IsServed(version, "v1", "v1beta1"),
        (GroupNames.GatewayApi, "GRPCRoute") => IsServed(version, "v1"),
        (GroupNames.GatewayApi, "TLSRoute") => IsServed(version, "v1", "v1alpha3", "v1alpha2"),
        (GroupNames.GatewayApi, "TCPRoute") => IsServed(version, "v1", "v1alpha2"),
        (GroupNames.GatewayApi, "BackendTLSPolicy") => IsServed(version, "v1"),
        ("", "Service" or "Secret" or "ConfigMap" or "Namespace") => version == "v1",
        (GroupNames.Discovery, "EndpointSlice") => version == "v1",
        (GroupNames.EnvoyExt, EnvoyExtParameters.KindName) => version == ParametersMapper.Version,
        (GroupNames.EnvoyExt, _) => PolicyMapper.Handles(version, kind),
        _ => false,
    };

    private static bool IsServed(string version, params string[] served) => served.Contains(version);

    public static ObjectMeta Metadata(YamlCursor doc, bool namespaced = true)
    {
        var meta = doc.Map("metadata");
        var name = meta.String("name");
        if (name.Length == 0)
        {
            throw meta.Invalid("name", "must not be empty");
        }

        return new ObjectMeta
        {
            Name = name,
            Namespace = namespaced ? meta.OptString("namespace") ?? "default" : "",
            Generation = meta.OptLong("generation") ?? 1,
            CreationTimestamp = meta.OptTimestamp("creationTimestamp"),
            Labels = meta.StringMap("labels"),
        };
    }

    public static ResourceOrigin Origin(YamlCursor doc) => new(doc.File, doc.Line);
}
