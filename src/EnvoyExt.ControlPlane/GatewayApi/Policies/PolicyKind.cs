using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// What a policy kind contributes to the attachment engine: which filter feature it produces, how a
/// spec is validated and how blocks merge. Targets, precedence, conflicts and status are the engine's.
/// </summary>
internal abstract class PolicyKind<TPolicy, TSpec, TFeature> : IPolicyKind
    where TPolicy : PolicyResource<TSpec>
    where TSpec : class
    where TFeature : class
{
    /// <summary>The Gateway API kinds every policy can target (group gateway.networking.k8s.io).</summary>
    public static readonly IReadOnlyList<string> GatewayAndRoutes = ["Gateway", "HTTPRoute", "GRPCRoute"];

    public abstract string Kind { get; }

    /// <summary>The filter feature the merged blocks become on listeners and routes.</summary>
    public abstract IrFeatureKey<TFeature> Feature { get; }

    /// <summary>Kinds of group gateway.networking.k8s.io this policy may target.</summary>
    public virtual IReadOnlyList<string> TargetKinds => GatewayAndRoutes;

    /// <summary>
    /// Checks one block on its own; returns the error with the field path below <paramref name="field"/>
    /// (e.g. "spec.defaults.rateLimit"), or null when valid.
    /// </summary>
    public abstract string? ValidateBlock(TSpec block, string field);

    /// <summary>The field path of the defaults (<paramref name="overrides"/> false) or overrides block, for messages.</summary>
    public abstract string BlockField(bool overrides);

    public abstract IPolicyMerge<TSpec, TFeature> NewMerge();

    public IPolicyAttachment Attach(IReadOnlyList<PolicyResource> policies, PolicyTargets targets) =>
        new PolicyAttachment<TPolicy, TSpec, TFeature>(this, policies.OfType<TPolicy>().ToList(), targets);
}
