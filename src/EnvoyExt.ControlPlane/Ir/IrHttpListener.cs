using System.Text.Json.Serialization;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy listener. Gateway listeners that share a port are merged into one of these (Envoy can
/// bind a port once); each Gateway listener contributes its own virtual hosts.
/// </summary>
/// <param name="Name">"&lt;ns&gt;/&lt;gateway&gt;/&lt;first listener name on this port&gt;"; stable while that listener exists.</param>
/// <param name="Address">Bind address, "0.0.0.0".</param>
/// <param name="VirtualHosts">Sorted: exact domains before wildcards, longer before shorter, "*" last.</param>
/// <param name="Filters">
/// Listener-level filter features (e.g. the rate-limit config of policies on the Gateway or the
/// listener), used for requests that match no route. A filter is installed on the listener when it
/// has a feature here or on any of its routes (see XdsTranslation/HttpFilters).
/// </param>
/// <param name="TlsChains">
/// Null for plain HTTP. For HTTPS, one filter chain per Gateway listener on the port, chosen by SNI;
/// every chain runs the same HTTP filters and routes.
/// </param>
public sealed record IrHttpListener(
    string Name,
    string Address,
    int Port,
    IReadOnlyList<IrVirtualHost> VirtualHosts,
    [property: JsonIgnore] IrFilterFeatures Filters,
    IReadOnlyList<IrTlsChain>? TlsChains = null)
{
    /// <summary>The IR's JSON writes each feature as a property of the route/listener (e.g. "rateLimit").</summary>
    [JsonExtensionData]
    public IDictionary<string, object>? FilterProperties => Filters.ToJsonProperties();
}
