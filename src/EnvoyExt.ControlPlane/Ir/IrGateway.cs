namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Gateway after translation: its HTTP listeners (one per port) and every cluster its routes
/// and mirrors reference. Only Accepted Gateways of our GatewayClass appear in the IR.
/// </summary>
/// <param name="HttpListeners">Sorted by port.</param>
/// <param name="Clusters">Sorted by name; only clusters referenced by a route or mirror of this Gateway.</param>
/// <param name="TcpListeners">TLS passthrough and TCP listeners, sorted by port; null when there are none.</param>
/// <param name="CaBundles">Client-certificate CA bundles of the terminating ports, sorted by name; null when none asks for client certificates.</param>
/// <param name="Secrets">Certificates of the HTTPS listeners, sorted by name; null when no listener terminates TLS.</param>
/// <param name="GenericSecrets">Generic secrets the filters of this Gateway subscribe to, sorted by name; null when none.</param>
/// <param name="BackendValidations">BackendTLSPolicy validation contexts of this Gateway's clusters, sorted by name; null when none.</param>
public sealed record IrGateway(
    string Namespace,
    string Name,
    IReadOnlyList<IrHttpListener> HttpListeners,
    IReadOnlyList<IrCluster> Clusters,
    IReadOnlyList<IrSecret>? Secrets = null,
    IReadOnlyList<IrTcpListener>? TcpListeners = null,
    IReadOnlyList<IrCaBundle>? CaBundles = null,
    IReadOnlyList<IrGenericSecret>? GenericSecrets = null,
    IReadOnlyList<IrBackendValidation>? BackendValidations = null);
