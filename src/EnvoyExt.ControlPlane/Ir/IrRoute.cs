using System.Text.Json.Serialization;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// One Envoy route: one match of one rule of one HTTPRoute or GRPCRoute.
/// </summary>
/// <param name="Name">"&lt;kind&gt;/&lt;ns&gt;/&lt;name&gt;/rule/&lt;i&gt;/match/&lt;j&gt;" (kind is "httproute" or "grpcroute").</param>
/// <param name="RequestHeaderMutations">Applied in list order (sets, then adds, then removes, as the filter defines).</param>
/// <param name="Mirrors">Requests copied to these clusters; responses of mirrors are ignored.</param>
/// <param name="Filters">
/// What each HTTP filter does on this route (e.g. the effective rate-limit config with policies
/// resolved); a filter without a feature here is switched off for the route.
/// </param>
public sealed record IrRoute(
    string Name,
    IrRouteMatch Match,
    IrRouteAction Action,
    IReadOnlyList<IrHeaderMutation> RequestHeaderMutations,
    IReadOnlyList<IrHeaderMutation> ResponseHeaderMutations,
    IReadOnlyList<IrMirror> Mirrors,
    [property: JsonIgnore] IrFilterFeatures Filters)
{
    /// <summary>The IR's JSON writes each feature as a property of the route/listener (e.g. "rateLimit").</summary>
    [JsonExtensionData]
    public IDictionary<string, object>? FilterProperties => Filters.ToJsonProperties();
}
