namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// The port Envoy binds for a Gateway listener port. Ports below 1024 are privileged, so they are
/// moved up by 10000 (80 -> 10080, 443 -> 10443, as Envoy Gateway does) and Envoy runs without root;
/// expose the Gateway port in front of Envoy (a Service's port -> targetPort, or a port mapping).
/// Other ports are bound as they are.
/// </summary>
public static class EnvoyPorts
{
    public const int PrivilegedBelow = 1024;
    public const int Offset = 10000;

    public static int For(int gatewayPort) => gatewayPort < PrivilegedBelow ? gatewayPort + Offset : gatewayPort;
}
