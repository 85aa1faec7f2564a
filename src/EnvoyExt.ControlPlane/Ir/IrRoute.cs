using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy route: one match of one rule of one HTTPRoute or GRPCRoute.
/// </summary>
/// <param name="Name">"&lt;kind&gt;/&lt;ns&gt;/&lt;name&gt;/rule/&lt;i&gt;/match/&lt;j&gt;" (kind is "httproute" or "grpcroute").</param>
/// <param name="RequestHeaderMutations">Applied in list order (sets, then adds, then removes, as the filter defines).</param>
/// <param name="Mirrors">Requests copied to these clusters; responses of mirrors are ignored.</param>
/// <param name="RateLimit">
/// The route's effective rate-limit config (rule, route, listener and gateway policies resolved),
/// or null when no policy applies and the filter must be disabled on this route.
/// </param>
public sealed record IrRoute(
    string Name,
    IrRouteMatch Match,
    IrRouteAction Action,
    IReadOnlyList<IrHeaderMutation> RequestHeaderMutations,
    IReadOnlyList<IrHeaderMutation> ResponseHeaderMutations,
    IReadOnlyList<IrMirror> Mirrors,
    RateLimitConfig? RateLimit);
