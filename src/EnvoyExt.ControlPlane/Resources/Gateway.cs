namespace EnvoyExt.ControlPlane.Resources;

public sealed record Gateway : KubernetesResource
{
    public override string Kind => "Gateway";

    public required string GatewayClassName { get; init; }

    public IReadOnlyList<Listener> Listeners { get; init; } = [];
}

public sealed record Listener
{
    public required string Name { get; init; }

    public string? Hostname { get; init; }

    public required int Port { get; init; }

    /// <summary>HTTP, HTTPS, TLS, TCP, UDP (or a domain-prefixed custom protocol).</summary>
    public required string Protocol { get; init; }

    /// <summary>Whether a tls block is present; TLS termination is not implemented yet.</summary>
    public bool HasTls { get; init; }

    public AllowedRoutes AllowedRoutes { get; init; } = new();
}

public sealed record AllowedRoutes
{
    /// <summary>Same (default), All or Selector.</summary>
    public string NamespacesFrom { get; init; } = "Same";

    public LabelSelector? NamespaceSelector { get; init; }

    /// <summary>Empty = the kinds the listener's protocol supports.</summary>
    public IReadOnlyList<RouteGroupKind> Kinds { get; init; } = [];
}

public sealed record RouteGroupKind(string Group, string Kind);
