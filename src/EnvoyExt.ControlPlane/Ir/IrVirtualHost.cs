namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy virtual host: one hostname (or "*") with the routes serving it.
/// </summary>
/// <param name="Name">"&lt;listener name&gt;/&lt;hostname&gt;", unique within the listener's route configuration.</param>
/// <param name="Domains">Envoy domain patterns ("example.com", "*.example.com", "*"), without ports.</param>
/// <param name="Routes">Already in Gateway API precedence order: Envoy picks the first match, so order matters.</param>
/// <param name="Chain">
/// HTTPS only: the name of the TLS filter chain (<see cref="IrTlsChain.Name"/>) of the Gateway listener
/// that owns this hostname. A request for it on a connection another chain accepted is misdirected.
/// </param>
public sealed record IrVirtualHost(string Name, IReadOnlyList<string> Domains, IReadOnlyList<IrRoute> Routes, string? Chain = null);
