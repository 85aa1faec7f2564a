using System.Text.Json.Serialization;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>TLS from Envoy to a backend (BackendTLSPolicy): the SNI sent and how the backend's certificate is checked.</summary>
/// <param name="Sni">The policy's hostname.</param>
/// <param name="Validation">Delivered over SDS as a validation context secret.</param>
public sealed record IrUpstreamTls(string Sni, IrBackendValidation Validation);

public enum SubjectAltNameKind
{
    Dns,
    Uri,
}

/// <summary>A name the backend's certificate must carry (one of the list is enough).</summary>
public sealed record IrSubjectAltName(SubjectAltNameKind Kind, string Value);

/// <summary>
/// The trust and names a backend certificate is checked against, served over SDS so a changed CA
/// bundle pushes this secret alone. Public data: nothing here is redacted.
/// </summary>
/// <param name="Name">"&lt;ns&gt;/&lt;policy&gt;/backend-ca": the SDS resource name.</param>
/// <param name="Pem">The caCertificateRefs' ca.crt bundles, in reference order; null when <paramref name="TrustedCaFile"/> is used.</param>
/// <param name="TrustedCaFile">A CA file on the Envoy host (wellKnownCACertificates: System); null with <paramref name="Pem"/>.</param>
/// <param name="SubjectAltNames">The policy's subjectAltNames, or its hostname as a DNS name when it lists none.</param>
public sealed record IrBackendValidation(string Name, [property: JsonIgnore] string? Pem, string? TrustedCaFile, IReadOnlyList<IrSubjectAltName> SubjectAltNames)
{
    // Records compare lists by reference; two validations are the same when they read the same.
    public bool Equals(IrBackendValidation? other) =>
        other is not null && Name == other.Name && Pem == other.Pem && TrustedCaFile == other.TrustedCaFile
        && SubjectAltNames.SequenceEqual(other.SubjectAltNames);

    public override int GetHashCode() => HashCode.Combine(Name, Pem, TrustedCaFile);
}
