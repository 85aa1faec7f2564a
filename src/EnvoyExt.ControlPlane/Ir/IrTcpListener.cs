namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy listener that forwards connections (TLS passthrough, TLS terminated at Envoy, or TCP). Gateway listeners sharing
/// a port are merged; each chain is chosen by SNI (TLS) or takes every connection (TCP).
/// </summary>
/// <param name="Name">"&lt;ns&gt;/&lt;gateway&gt;/&lt;first listener name on this port&gt;".</param>
/// <param name="InspectsTls">True for TLS listeners: the TLS inspector reads the SNI the chains match on.</param>
/// <param name="Chains">Most specific server names first; a chain without names last.</param>
public sealed record IrTcpListener(string Name, string Address, int Port, bool InspectsTls, IReadOnlyList<IrTcpChain> Chains);

/// <summary>One filter chain: the SNI names it answers (null = any) and the route whose backends take the connection.</summary>
/// <param name="SecretNames">
/// TLS listeners in Terminate mode: the SDS names of the certificates Envoy ends TLS with (the
/// backends then receive the plain stream). Null when the stream is passed through untouched.
/// </param>
/// <param name="ClientValidation">Terminate only: the port's client-certificate validation, when the Gateway asks for one.</param>
public sealed record IrTcpChain(
    string Name,
    IReadOnlyList<string>? ServerNames,
    string Route,
    IReadOnlyList<IrWeightedCluster> Backends,
    IReadOnlyList<string>? SecretNames = null,
    IrCaBundle? ClientValidation = null);
