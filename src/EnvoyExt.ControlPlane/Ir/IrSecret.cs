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

/// <summary>One filter chain of an HTTPS listener: the SNI name it answers and its certificates.</summary>
/// <param name="Hostname">The Gateway listener's hostname (may be a wildcard); null takes every other name and no SNI.</param>
/// <param name="SecretNames">SDS names of the certificates, in certificateRefs order (Envoy uses the first when none matches the SNI).</param>
public sealed record IrTlsChain(string? Hostname, IReadOnlyList<string> SecretNames)
{
    /// <summary>The filter chain's name: its hostname, or "*" for the chain without one.</summary>
    [JsonIgnore]
    public string Name => Hostname ?? "*";
}
