using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy listener. Gateway listeners that share a port are merged into one of these (Envoy can
/// bind a port once); each Gateway listener contributes its own virtual hosts.
/// </summary>
/// <param name="Name">"&lt;ns&gt;/&lt;gateway&gt;/&lt;first listener name on this port&gt;"; stable while that listener exists.</param>
/// <param name="Address">Bind address, "0.0.0.0".</param>
/// <param name="VirtualHosts">Sorted: exact domains before wildcards, longer before shorter, "*" last.</param>
/// <param name="RateLimit">
/// Listener-level effective rate-limit config (policies on the Gateway or on the listener), or null
/// when no such policy applies. The xDS translator installs the rate-limit filter on the listener when
/// this is non-null OR any route carries a config; when this is null but routes need the filter, the
/// listener-level filter_config is a document with no rules (which passes everything).
/// </param>
public sealed record IrHttpListener(
    string Name,
    string Address,
    int Port,
    IReadOnlyList<IrVirtualHost> VirtualHosts,
    RateLimitConfig? RateLimit);
