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

    /// <summary>The listener's tls block; null when absent.</summary>
    public ListenerTls? Tls { get; init; }

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

/// <summary>A listener's tls block. Mode defaults to Terminate, as the CRD does.</summary>
public sealed record ListenerTls
{
    /// <summary>Terminate or Passthrough.</summary>
    public string Mode { get; init; } = "Terminate";

    public IReadOnlyList<SecretObjectReference> CertificateRefs { get; init; } = [];
}

/// <summary>A certificateRef: group "" and kind Secret by default; a null namespace means the Gateway's.</summary>
public sealed record SecretObjectReference
{
    public string Group { get; init; } = GroupNames.Core;

    public string Kind { get; init; } = "Secret";

    public required string Name { get; init; }

    public string? Namespace { get; init; }
}
