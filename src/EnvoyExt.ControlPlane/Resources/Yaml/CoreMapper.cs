namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>Reads the core Kubernetes kinds routes refer to.</summary>
internal static class CoreMapper
{
    public static Service Service(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc),
        Origin = ResourceMapper.Origin(doc),
        Ports = doc.OptMap("spec")?.List("ports", p => new ServicePort
        {
            Name = p.OptString("name"),
            Port = p.Int("port"),
            AppProtocol = p.OptString("appProtocol"),
        }) ?? [],
    };

    public static EndpointSlice EndpointSlice(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc),
        Origin = ResourceMapper.Origin(doc),
        AddressType = doc.OptString("addressType") ?? "IPv4",
        Endpoints = doc.List("endpoints", e => new SliceEndpoint(e.StringList("addresses"), e.OptMap("conditions")?.OptBool("ready"))),
        Ports = doc.List("ports", p => new SlicePort(p.OptString("name"), p.Int("port"))),
    };

    public static Secret Secret(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc),
        Origin = ResourceMapper.Origin(doc),
        Type = doc.OptString("type") ?? "Opaque",
        DataKeys = doc.StringMap("data").Keys.Concat(doc.StringMap("stringData").Keys).Distinct().Order(StringComparer.Ordinal).ToList(),
    };

    public static Namespace Namespace(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc, namespaced: false),
        Origin = ResourceMapper.Origin(doc),
    };
}
