namespace EnvoyExt.ControlPlane.Resources;

/// <summary>A route's parentRef. Group/kind default to gateway.networking.k8s.io/Gateway.</summary>
public sealed record ParentReference
{
    public string Group { get; init; } = GroupNames.GatewayApi;

    public string Kind { get; init; } = "Gateway";

    /// <summary>Null = the route's namespace.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    public string? SectionName { get; init; }

    public int? Port { get; init; }
}

/// <summary>A backendRef (or a mirror's backendRef). Group "" and kind Service by default.</summary>
public sealed record BackendReference
{
    public string Group { get; init; } = "";

    public string Kind { get; init; } = "Service";

    public required string Name { get; init; }

    public string? Namespace { get; init; }

    public int? Port { get; init; }

    /// <summary>Defaults to 1 as the spec says.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>backendRefs[].filters: applied only to requests sent to this backend.</summary>
    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];
}

public static class GroupNames
{
    public const string GatewayApi = "gateway.networking.k8s.io";
    public const string EnvoyExt = "gateway.envoyext.io";
    public const string Core = "";
    public const string Discovery = "discovery.k8s.io";
}
