using System.Text.Json.Serialization;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// A TLS certificate served over SDS. The key is left out of the IR's JSON and of ToString; only the
/// SDS translator reveals it, into the bytes sent to Envoy.
/// </summary>
/// <param name="Name">"&lt;namespace&gt;/&lt;secret&gt;": the SDS resource name.</param>
/// <param name="CertificateChain">PEM.</param>
public sealed record IrSecret(string Name, string CertificateChain, [property: JsonIgnore] SensitiveText PrivateKey)
{
    public override string ToString() => $"IrSecret {{ Name = {Name}, PrivateKey = {SensitiveText.Redacted} }}";
}

/// <summary>
/// A CA bundle client certificates must chain to (Gateway spec.tls.frontend), served over SDS as a
/// validation context. Public data: nothing here is redacted.
/// </summary>
/// <param name="Name">"&lt;gateway ns&gt;/&lt;gateway&gt;/client-ca/&lt;port&gt;": one per Gateway port, so a changed CA pushes that secret alone.</param>
/// <param name="Pem">The caCertificateRefs' ca.crt bundles, in reference order.</param>
/// <param name="AcceptUntrusted">AllowInsecureFallback: the handshake succeeds without a valid client certificate.</param>
public sealed record IrCaBundle(string Name, [property: JsonIgnore] string Pem, bool AcceptUntrusted);

/// <summary>One filter chain of an HTTPS listener: the SNI name it answers and its certificates.</summary>
/// <param name="Hostname">The Gateway listener's hostname (may be a wildcard); null takes every other name and no SNI.</param>
/// <param name="SecretNames">SDS names of the certificates, in certificateRefs order (Envoy uses the first when none matches the SNI).</param>
/// <param name="ClientValidation">The port's client-certificate validation; null when no client certificate is asked for.</param>
public sealed record IrTlsChain(string? Hostname, IReadOnlyList<string> SecretNames, IrCaBundle? ClientValidation = null)
{
    /// <summary>The filter chain's name: its hostname, or "*" for the chain without one.</summary>
    [JsonIgnore]
    public string Name => Hostname ?? "*";
}
