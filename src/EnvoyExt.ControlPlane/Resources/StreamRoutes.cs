namespace EnvoyExt.ControlPlane.Resources;

/// <summary>TLSRoute: connections routed by SNI, the TLS stream passed through untouched (or terminated on a TLS listener).</summary>
public sealed record TlsRoute : KubernetesResource
{
    public override string Kind => "TLSRoute";

    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    public IReadOnlyList<string> Hostnames { get; init; } = [];

    public IReadOnlyList<StreamRouteRule> Rules { get; init; } = [];
}

/// <summary>TCPRoute: every connection on the listener goes to the backends.</summary>
public sealed record TcpRoute : KubernetesResource
{
    public override string Kind => "TCPRoute";

    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    public IReadOnlyList<StreamRouteRule> Rules { get; init; } = [];
}

/// <summary>A TLSRoute or TCPRoute rule: only backends (connections have no request to match).</summary>
public sealed record StreamRouteRule
{
    public string? Name { get; init; }

    public IReadOnlyList<BackendReference> BackendRefs { get; init; } = [];
}
