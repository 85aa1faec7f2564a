namespace EnvoyExt.ControlPlane.Resources;

public sealed record Service : KubernetesResource
{
    public override string Kind => "Service";

    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    /// <summary>spec.type: ClusterIP, NodePort, LoadBalancer or ExternalName.</summary>
    public string Type { get; init; } = "ClusterIP";

    /// <summary>spec.clusterIPs (or spec.clusterIP), without "None" (headless).</summary>
    public IReadOnlyList<string> ClusterIps { get; init; } = [];

    /// <summary>status.loadBalancer.ingress: the addresses a load balancer gave the Service.</summary>
    public IReadOnlyList<LoadBalancerIngress> LoadBalancerIngress { get; init; } = [];
}

/// <summary>One status.loadBalancer.ingress entry: an IP, a hostname, or both.</summary>
public sealed record LoadBalancerIngress(string? Ip, string? Hostname);

public sealed record ServicePort
{
    public string? Name { get; init; }

    public required int Port { get; init; }

    public string? AppProtocol { get; init; }
}

/// <summary>Endpoints of one Service (label kubernetes.io/service-name).</summary>
public sealed record EndpointSlice : KubernetesResource
{
    public override string Kind => "EndpointSlice";

    public string? ServiceName => Metadata.Labels.TryGetValue("kubernetes.io/service-name", out var name) ? name : null;

    public string AddressType { get; init; } = "IPv4";

    public IReadOnlyList<SliceEndpoint> Endpoints { get; init; } = [];

    public IReadOnlyList<SlicePort> Ports { get; init; } = [];
}

/// <summary>Ready null counts as ready, as Kubernetes consumers are told to do.</summary>
public sealed record SliceEndpoint(IReadOnlyList<string> Addresses, bool? Ready);

/// <summary>Name matches the Service port's name ("" for an unnamed port).</summary>
public sealed record SlicePort(string? Name, int Port);

/// <summary>
/// A Secret; only the kubernetes.io/tls keys are kept. The private key is wrapped so that printing
/// the record (logs, debugger, exception messages) never shows it.
/// </summary>
public sealed record Secret : KubernetesResource
{
    public override string Kind => "Secret";

    public string Type { get; init; } = "Opaque";

    public IReadOnlyList<string> DataKeys { get; init; } = [];

    /// <summary>tls.crt as text (PEM); null when absent or not valid base64.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>tls.key; null when absent or not valid base64.</summary>
    public SensitiveText? TlsKey { get; init; }

    /// <summary>Every key's value as text (stringData over data, data base64-decoded), for generic secrets.</summary>
    public SecretData Data { get; init; } = SecretData.Empty;

    /// <summary>ca.crt as text (PEM): a CA bundle for client-certificate validation; null when absent.</summary>
    public string? CaCertificate { get; init; }
}

/// <summary>A ConfigMap; only ca.crt (a PEM CA bundle) is kept, the key CA references read.</summary>
public sealed record ConfigMap : KubernetesResource
{
    public override string Kind => "ConfigMap";

    public IReadOnlyList<string> DataKeys { get; init; } = [];

    /// <summary>data["ca.crt"]; null when absent.</summary>
    public string? CaCertificate { get; init; }
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
    Justification = "Mirrors the Kubernetes kind 'Namespace', like every other resource record here.")]
public sealed record Namespace : KubernetesResource
{
    public override string Kind => "Namespace";
}
