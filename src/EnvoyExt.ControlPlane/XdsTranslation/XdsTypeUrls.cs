namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// The resource types EnvoyExt serves, and the order an ADS stream pushes them in: clusters before
/// the routes that name them, endpoints before clusters finish warming, secrets before the listeners
/// whose TLS contexts fetch them, listeners before the route configurations they fetch
/// (make-before-break).
/// </summary>
public static class XdsTypeUrls
{
    public const string Prefix = "type.googleapis.com/";
    public const string Cluster = Prefix + "envoy.config.cluster.v3.Cluster";
    public const string Endpoint = Prefix + "envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Listener = Prefix + "envoy.config.listener.v3.Listener";
    public const string Route = Prefix + "envoy.config.route.v3.RouteConfiguration";
    public const string Secret = Prefix + "envoy.extensions.transport_sockets.tls.v3.Secret";

    /// <summary>CDS -> EDS -> SDS -> LDS -> RDS.</summary>
    public static IReadOnlyList<string> PushOrder { get; } = [Cluster, Endpoint, Secret, Listener, Route];

    /// <summary>Short label for logs, metrics and JSON ("clusters", "endpoints", ...).</summary>
    public static string Label(string typeUrl) => typeUrl switch
    {
        Cluster => "clusters",
        Endpoint => "endpoints",
        Listener => "listeners",
        Route => "routes",
        Secret => "secrets",
        _ => typeUrl,
    };

    /// <summary>
    /// LDS and CDS are "full state" in SotW: every response carries the whole set and an absent
    /// name means deletion, so they also support wildcard subscriptions.
    /// </summary>
    public static bool IsFullState(string typeUrl) => typeUrl is Cluster or Listener;
}
