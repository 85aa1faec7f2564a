using EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;
using EnvoyExt.ControlPlane.GatewayApi.Policies.RateLimit;
using EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// The policy kinds the controller attaches, in the order their status is reported. A new kind is a
/// model (Resources/), a YAML mapper (Resources/Yaml/PolicyMapper.cs), a <see cref="PolicyKind{TPolicy,TSpec,TFeature}"/>
/// with its merge, and one line here.
/// </summary>
internal static class PolicyKinds
{
    public static IReadOnlyList<IPolicyKind> All { get; } =
    [
        new RateLimitPolicyKind(),
        new TrafficPolicyKind(),
        new AuthPolicyKind(),
    ];
}
