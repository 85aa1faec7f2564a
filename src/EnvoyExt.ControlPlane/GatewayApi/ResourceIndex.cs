using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>Lookups the translator needs many times, built once per translation.</summary>
internal sealed class ResourceIndex
{
    private readonly Dictionary<string, Service> _services;
    private readonly Dictionary<string, Secret> _secrets;
    private readonly Dictionary<string, ConfigMap> _configMaps;
    private readonly Dictionary<string, List<EndpointSlice>> _slicesByService;
    private readonly Dictionary<string, Namespace> _namespaces;
    private readonly Dictionary<string, List<ReferenceGrant>> _grantsByNamespace;

    public ResourceIndex(ResourceSet resources)
    {
        _services = resources.Services.ToDictionary(s => s.Metadata.Key, StringComparer.Ordinal);
        _secrets = resources.Secrets.ToDictionary(s => s.Metadata.Key, StringComparer.Ordinal);
        _configMaps = resources.ConfigMaps.ToDictionary(c => c.Metadata.Key, StringComparer.Ordinal);
        _slicesByService = resources.EndpointSlices
            .Where(s => s.ServiceName is not null)
            .GroupBy(s => s.Metadata.Namespace + "/" + s.ServiceName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _namespaces = resources.Namespaces.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        _grantsByNamespace = resources.ReferenceGrants
            .GroupBy(g => g.Metadata.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public Service? Service(string ns, string name) => _services.GetValueOrDefault(ns + "/" + name);

    public Secret? Secret(string ns, string name) => _secrets.GetValueOrDefault(ns + "/" + name);

    public ConfigMap? ConfigMap(string ns, string name) => _configMaps.GetValueOrDefault(ns + "/" + name);

    public IReadOnlyList<EndpointSlice> SlicesOf(string ns, string service) =>
        _slicesByService.TryGetValue(ns + "/" + service, out var slices) ? slices : [];

    /// <summary>
    /// Labels of a namespace. Kubernetes always sets kubernetes.io/metadata.name, so a namespace that
    /// has no Namespace document still has that label (standalone folders rarely declare namespaces).
    /// </summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels(string ns)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = ns };
        if (_namespaces.TryGetValue(ns, out var declared))
        {
            foreach (var (k, v) in declared.Metadata.Labels)
            {
                labels[k] = v;
            }
        }

        return labels;
    }

    /// <summary>Whether a ReferenceGrant in toNamespace lets (fromGroup, fromKind, fromNamespace) reference (toGroup, toKind, toName).</summary>
    public bool IsReferenceAllowed(string fromGroup, string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName)
    {
        if (fromNamespace == toNamespace)
        {
            return true;
        }

        if (!_grantsByNamespace.TryGetValue(toNamespace, out var grants))
        {
            return false;
        }

        return grants.Any(g =>
            g.From.Any(f => f.Group == fromGroup && f.Kind == fromKind && f.Namespace == fromNamespace)
            && g.To.Any(t => t.Group == toGroup && t.Kind == toKind && (t.Name is null || t.Name == toName)));
    }
}
