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

        return (group, kind) switch
        {
            (GroupNames.GatewayApi, "GatewayClass") when IsServed(version, "v1", "v1beta1") => GatewayApiMapper.GatewayClass(doc),
            (GroupNames.GatewayApi, "Gateway") when IsServed(version, "v1", "v1beta1") => GatewayApiMapper.Gateway(doc),
            (GroupNames.GatewayApi, "HTTPRoute") when IsServed(version, "v1", "v1beta1") => GatewayApiMapper.HttpRoute(doc),
            (GroupNames.GatewayApi, "GRPCRoute") when IsServed(version, "v1") => GatewayApiMapper.GrpcRoute(doc),
            (GroupNames.GatewayApi, "TLSRoute") when IsServed(version, "v1", "v1alpha3", "v1alpha2") => GatewayApiMapper.TlsRoute(doc),
            (GroupNames.GatewayApi, "TCPRoute") when IsServed(version, "v1", "v1alpha2") => GatewayApiMapper.TcpRoute(doc),
            (GroupNames.GatewayApi, "ReferenceGrant") when IsServed(version, "v1", "v1beta1") => GatewayApiMapper.ReferenceGrant(doc),
            ("", "Service") when version == "v1" => CoreMapper.Service(doc),
            (GroupNames.Discovery, "EndpointSlice") when version == "v1" => CoreMapper.EndpointSlice(doc),
            ("", "Secret") when version == "v1" => CoreMapper.Secret(doc),
            ("", "Namespace") when version == "v1" => CoreMapper.Namespace(doc),
            _ => PolicyMapper.Map(group, version, kind, doc),
        };
    }

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
