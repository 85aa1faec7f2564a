namespace EnvoyExt.ControlPlane.Resources;

public sealed record Gateway : KubernetesResource
{
    public override string Kind => "Gateway";

    public required string GatewayClassName { get; init; }

    public IReadOnlyList<Listener> Listeners { get; init; } = [];

    /// <summary>spec.tls.frontend: client-certificate validation on the terminating listeners; null when absent.</summary>
    public FrontendTls? FrontendTls { get; init; }
}

/// <summary>spec.tls.frontend: a default validation and per-port overrides (a port's entry replaces the default).</summary>
public sealed record FrontendTls
{
    public ClientValidation? Default { get; init; }

    public IReadOnlyList<PortClientValidation> PerPort { get; init; } = [];

    /// <summary>What applies to a port: its own entry, else the default; null = no client certificate is asked for.</summary>
    public ClientValidation? For(int port) =>
        PerPort.FirstOrDefault(p => p.Port == port) is { } entry ? entry.Validation : Default;
}

/// <summary>One perPort entry; a null validation turns client validation off on that port.</summary>
public sealed record PortClientValidation(int Port, ClientValidation? Validation);

/// <summary>A validation block: the CA bundles client certificates must chain to, and the mode.</summary>
public sealed record ClientValidation
{
    public const string AllowValidOnly = "AllowValidOnly";
    public const string AllowInsecureFallback = "AllowInsecureFallback";

    public IReadOnlyList<ObjectReference> CaCertificateRefs { get; init; } = [];

    /// <summary>AllowValidOnly (the default) or AllowInsecureFallback.</summary>
    public string Mode { get; init; } = AllowValidOnly;
}

/// <summary>A Gateway API ObjectReference (group and kind required); a null namespace means the referrer's.</summary>
public sealed record ObjectReference(string Group, string Kind, string Name, string? Namespace);

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
