namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// A consistent set of resources as one provider saw them at one moment, plus the problems found
/// while reading them. Lists are sorted by namespace/name so translation is deterministic.
/// </summary>
public sealed record ResourceSet
{
    public IReadOnlyList<GatewayClass> GatewayClasses { get; init; } = [];
    public IReadOnlyList<Gateway> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> HttpRoutes { get; init; } = [];
    public IReadOnlyList<GrpcRoute> GrpcRoutes { get; init; } = [];
    public IReadOnlyList<TlsRoute> TlsRoutes { get; init; } = [];
    public IReadOnlyList<TcpRoute> TcpRoutes { get; init; } = [];
    public IReadOnlyList<ReferenceGrant> ReferenceGrants { get; init; } = [];
    public IReadOnlyList<BackendTlsPolicy> BackendTlsPolicies { get; init; } = [];
    public IReadOnlyList<Service> Services { get; init; } = [];
    public IReadOnlyList<EndpointSlice> EndpointSlices { get; init; } = [];
    public IReadOnlyList<Secret> Secrets { get; init; } = [];
    public IReadOnlyList<ConfigMap> ConfigMaps { get; init; } = [];
    public IReadOnlyList<Namespace> Namespaces { get; init; } = [];

    /// <summary>GatewayClass parameters (ours); a class names one through its parametersRef.</summary>
    public IReadOnlyList<EnvoyExtParameters> Parameters { get; init; } = [];

    /// <summary>Policies of every kind (each kind's engine picks its own).</summary>
    public IReadOnlyList<PolicyResource> Policies { get; init; } = [];

    /// <summary>Read problems ("file:line: field: message"); bad files keep their last good resources.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static ResourceSet From(IEnumerable<KubernetesResource> resources, IReadOnlyList<string> problems)
    {
        // Later duplicates of the same Kind/namespace/name replace earlier ones, as a second
        // kubectl apply would; the duplicate is reported so it is not silent.
        var byId = new SortedDictionary<string, KubernetesResource>(StringComparer.Ordinal);
        var allProblems = new List<string>(problems);
        foreach (var resource in resources)
        {
            if (byId.TryGetValue(resource.Id, out var previous))
            {
                allProblems.Add($"{resource.Origin}: {resource.Id} is also defined at {previous.Origin}; the later definition wins");
            }

            byId[resource.Id] = resource;
        }

        var all = byId.Values.ToList();
        return new ResourceSet
        {
            GatewayClasses = all.OfType<GatewayClass>().ToList(),
            Gateways = all.OfType<Gateway>().ToList(),
            HttpRoutes = all.OfType<HttpRoute>().ToList(),
            GrpcRoutes = all.OfType<GrpcRoute>().ToList(),
            TlsRoutes = all.OfType<TlsRoute>().ToList(),
            TcpRoutes = all.OfType<TcpRoute>().ToList(),
            ReferenceGrants = all.OfType<ReferenceGrant>().ToList(),
            BackendTlsPolicies = all.OfType<BackendTlsPolicy>().ToList(),
            Services = all.OfType<Service>().ToList(),
            EndpointSlices = all.OfType<EndpointSlice>().ToList(),
            Secrets = all.OfType<Secret>().ToList(),
            ConfigMaps = all.OfType<ConfigMap>().ToList(),
            Namespaces = all.OfType<Namespace>().ToList(),
            Parameters = all.OfType<EnvoyExtParameters>().ToList(),
            Policies = all.OfType<PolicyResource>().ToList(),
            Problems = allProblems,
        };
    }
}
