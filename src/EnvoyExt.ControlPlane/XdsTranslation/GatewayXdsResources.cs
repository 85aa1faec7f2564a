namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// Every xDS resource one Gateway's Envoy fleet receives, per type, in deterministic order, with a
/// content-derived version per type. A version changes exactly when that type's content changes,
/// which is what lets the server push only on change and recognise a re-rejected config.
/// </summary>
public sealed class GatewayXdsResources
{
    public static GatewayXdsResources Empty { get; } = new([], [], [], []);

    private readonly Dictionary<string, IReadOnlyList<XdsResource>> _byType;
    private readonly Dictionary<string, string> _versions;
    private IReadOnlyList<string>? _problems;

    /// <param name="secrets">SDS secrets (TLS certificates); none when no listener terminates TLS.</param>
    public GatewayXdsResources(
        IReadOnlyList<XdsResource> clusters,
        IReadOnlyList<XdsResource> endpoints,
        IReadOnlyList<XdsResource> listeners,
        IReadOnlyList<XdsResource> routes,
        IReadOnlyList<XdsResource>? secrets = null)
    {
        _byType = new Dictionary<string, IReadOnlyList<XdsResource>>(StringComparer.Ordinal)
        {
            [XdsTypeUrls.Cluster] = clusters,
            [XdsTypeUrls.Endpoint] = endpoints,
            [XdsTypeUrls.Listener] = listeners,
            [XdsTypeUrls.Route] = routes,
            [XdsTypeUrls.Secret] = secrets ?? [],
        };
        _versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (typeUrl, resources) in _byType)
        {
            _versions[typeUrl] = ContentVersion(resources);
        }
    }

    /// <summary>A set whose consistency problems were found by its builder, from the messages it serialized.</summary>
    internal GatewayXdsResources(
        IReadOnlyList<XdsResource> clusters,
        IReadOnlyList<XdsResource> endpoints,
        IReadOnlyList<XdsResource> listeners,
        IReadOnlyList<XdsResource> routes,
        IReadOnlyList<XdsResource> secrets,
        Func<GatewayXdsResources, IReadOnlyList<string>> problems)
        : this(clusters, endpoints, listeners, routes, secrets)
    {
        _problems = problems(this);
    }

    /// <summary>
    /// What <see cref="XdsConsistency"/> finds wrong with this set (empty when it may be served).
    /// Known from translation for translated sets; worked out from the bytes for others.
    /// </summary>
    public IReadOnlyList<string> Problems => _problems ??= XdsConsistency.Problems(this);

    public IReadOnlyList<XdsResource> Clusters => _byType[XdsTypeUrls.Cluster];

    public IReadOnlyList<XdsResource> Endpoints => _byType[XdsTypeUrls.Endpoint];

    public IReadOnlyList<XdsResource> Listeners => _byType[XdsTypeUrls.Listener];

    public IReadOnlyList<XdsResource> Routes => _byType[XdsTypeUrls.Route];

    public IReadOnlyList<XdsResource> Secrets => _byType[XdsTypeUrls.Secret];

    /// <summary>Resources of a type URL we serve; empty for any other type.</summary>
    public IReadOnlyList<XdsResource> Get(string typeUrl) =>
        _byType.TryGetValue(typeUrl, out var list) ? list : [];

    /// <summary>Content hash of one type's resources ("" for an unknown type).</summary>
    public string Version(string typeUrl) => _versions.TryGetValue(typeUrl, out var v) ? v : "";

    /// <summary>True when every type has the same content as <paramref name="other"/>.</summary>
    public bool SameContentAs(GatewayXdsResources other) =>
        XdsTypeUrls.PushOrder.All(t => Version(t) == other.Version(t));

    private static string ContentVersion(IReadOnlyList<XdsResource> resources) => XdsVersion.Of(resources);
}
