namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// BackendTLSPolicy (gateway.networking.k8s.io/v1): how the gateway speaks TLS to the Services it
/// targets, and how it checks their certificates.
/// </summary>
public sealed record BackendTlsPolicy : KubernetesResource
{
    public override string Kind => "BackendTLSPolicy";

    /// <summary>Services in the policy's namespace; SectionName names one port of the Service.</summary>
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];

    /// <summary>CA bundles (key ca.crt) in the policy's namespace; exclusive with <see cref="WellKnownCaCertificates"/>.</summary>
    public IReadOnlyList<ObjectReference> CaCertificateRefs { get; init; } = [];

    /// <summary>"System": the trust bundle of the Envoy's operating system.</summary>
    public string? WellKnownCaCertificates { get; init; }

    /// <summary>The SNI sent, and the name the certificate must carry unless SubjectAltNames are given.</summary>
    public required string Hostname { get; init; }

    public IReadOnlyList<SubjectAltName> SubjectAltNames { get; init; } = [];
}

/// <summary>Type is Hostname (Value a DNS name) or URI (Value a URI, e.g. a SPIFFE ID).</summary>
public sealed record SubjectAltName(string Type, string Value);
