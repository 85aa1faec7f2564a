namespace EnvoyExt.ControlPlane.Ir;

public enum IrUpstreamProtocol
{
    Http1,

    /// <summary>HTTP/2 cleartext: Service port appProtocol kubernetes.io/h2c or grpc, or any GRPCRoute backend.</summary>
    Http2,
}

/// <summary>
/// One upstream: a Service port. Served over EDS by the xDS translator.
/// </summary>
/// <param name="Name">"&lt;ns&gt;/&lt;service&gt;/&lt;port&gt;"; also the EDS service name.</param>
/// <param name="Endpoints">Ready endpoints from the Service's EndpointSlices, sorted by address then port; may be empty.</param>
/// <param name="Tls">TLS to the backend from the BackendTLSPolicy that applies to the port; null: plain text.</param>
/// <param name="BackendTlsPolicy">"&lt;ns&gt;/&lt;name&gt;" of that policy, also when it is invalid (the cluster then has no endpoints: fail closed).</param>
/// <param name="CircuitBreakers">Thresholds from the TrafficPolicies of the routes that reach the cluster; null: Envoy's defaults.</param>
public sealed record IrCluster(
    string Name,
    IReadOnlyList<IrEndpoint> Endpoints,
    IrUpstreamProtocol Protocol,
    IrUpstreamTls? Tls = null,
    string? BackendTlsPolicy = null,
    IrCircuitBreakers? CircuitBreakers = null);

public sealed record IrEndpoint(string Address, int Port);
