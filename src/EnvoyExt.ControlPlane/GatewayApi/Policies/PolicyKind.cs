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

    /// <summary>
    /// A merge that can resolve references (Secrets, Services) through <paramref name="context"/>;
    /// override when the feature needs them. The default ignores the context.
    /// </summary>
    public virtual IPolicyMerge<TSpec, TFeature> NewMerge(PolicyContext context) => NewMerge();

    /// <summary>
    /// Checks what one block references in the translation's resources (a Secret that exists, a
    /// ReferenceGrant for another namespace); returns the error naming the field, or null. Runs
    /// after <see cref="ValidateBlock"/> passed; a failing block makes the policy Invalid.
    /// </summary>
    public virtual string? ValidateReferences(TPolicy policy, TSpec block, string field, PolicyContext context) => null;

    /// <summary>
    /// <paramref name="features"/> with the merged feature of a place set (null: nothing of this kind
    /// applies there). The default stores it under <see cref="Feature"/>; a kind whose feature feeds
    /// several filters overrides this to split it.
    /// </summary>
    public virtual IrFilterFeatures ApplyFeature(IrFilterFeatures features, TFeature? feature) =>
        feature is not null ? features.With(Feature, feature)
        : features.Get(Feature) is null ? features
        : features.With(Feature, null);

    /// <summary>
    /// Checks the effective features of one Envoy listener together (its own and every route's, each valid on
    /// its own), for what they cannot serve side by side. Returns the features to serve instead of some of
    /// <paramref name="features"/> (keyed by reference), or null when all can be served; each left-out part is
    /// reported through <paramref name="report"/> (policy key, message naming the field). The default finds nothing.
    /// </summary>
    public virtual IReadOnlyDictionary<TFeature, TFeature>? CheckListener(
        IReadOnlyCollection<TFeature> features, IReadOnlyCollection<TPolicy> policies, Action<string, string> report) => null;

    public IPolicyAttachment Attach(IReadOnlyList<PolicyResource> policies, PolicyTargets targets, PolicyContext context) =>
        new PolicyAttachment<TPolicy, TSpec, TFeature>(this, policies.OfType<TPolicy>().ToList(), targets, context);
}
