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
        Type = doc.OptMap("spec")?.OptString("type") ?? "ClusterIP",
        ClusterIps = ClusterIps(doc.OptMap("spec")),
        LoadBalancerIngress = doc.OptMap("status")?.OptMap("loadBalancer")?.List("ingress", i => new LoadBalancerIngress(i.OptString("ip"), i.OptString("hostname"))) ?? [],
    };

    private static IReadOnlyList<string> ClusterIps(YamlCursor? spec)
    {
        if (spec is null)
        {
            return [];
        }

        var ips = spec.Has("clusterIPs") ? spec.StringList("clusterIPs") : spec.OptString("clusterIP") is { } one ? [one] : [];
        return [.. ips.Where(ip => ip.Length > 0 && ip != "None")];
    }

    public static EndpointSlice EndpointSlice(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc),
        Origin = ResourceMapper.Origin(doc),
        AddressType = doc.OptString("addressType") ?? "IPv4",
        Endpoints = doc.List("endpoints", e => new SliceEndpoint(e.StringList("addresses"), e.OptMap("conditions")?.OptBool("ready"))),
        Ports = doc.List("ports", p => new SlicePort(p.OptString("name"), p.Int("port"))),
    };

    public static Secret Secret(YamlCursor doc)
    {
        var data = doc.StringMap("data");
        var stringData = doc.StringMap("stringData");
        var key = SecretValue(doc, data, stringData, "tls.key");
        return new Secret
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            Type = doc.OptString("type") ?? "Opaque",
            DataKeys = data.Keys.Concat(stringData.Keys).Distinct().Order(StringComparer.Ordinal).ToList(),
            TlsCertificate = SecretValue(doc, data, stringData, "tls.crt"),
            TlsKey = key is null ? null : new SensitiveText(key),
            Data = new SecretData(data.Keys.Concat(stringData.Keys).Distinct()
                .Select(k => KeyValuePair.Create(k, new SensitiveText(SecretValue(doc, data, stringData, k)!)))),
            CaCertificate = SecretValue(doc, data, stringData, "ca.crt"),
        };
    }

    public static ConfigMap ConfigMap(YamlCursor doc)
    {
        var data = doc.StringMap("data");
        return new ConfigMap
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            DataKeys = data.Keys.Order(StringComparer.Ordinal).ToList(),
            CaCertificate = data.GetValueOrDefault("ca.crt"),
        };
    }

    /// <summary>
    /// One key of a Secret as text: stringData wins over data, as the API server merges them; data
    /// is base64. The error names the field, never the value (it may be a private key).
    /// </summary>
    private static string? SecretValue(YamlCursor doc, IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, string> stringData, string name)
    {
        if (stringData.TryGetValue(name, out var plain))
        {
            return plain;
        }

        if (!data.TryGetValue(name, out var encoded))
        {
            return null;
        }

        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            throw doc.Invalid("data." + name, "is not valid base64");
        }

        return System.Text.Encoding.UTF8.GetString(bytes, 0, written);
    }

    public static Namespace Namespace(YamlCursor doc) => new()
    {
        ApiVersion = doc.String("apiVersion"),
        Metadata = ResourceMapper.Metadata(doc, namespaced: false),
        Origin = ResourceMapper.Origin(doc),
    };
}
