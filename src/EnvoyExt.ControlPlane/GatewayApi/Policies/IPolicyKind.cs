using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// One policy kind as the attachment engine sees it. Implement <see cref="PolicyKind{TPolicy,TSpec,TFeature}"/>
/// and register the instance in <see cref="PolicyKinds"/>.
/// </summary>
internal interface IPolicyKind
{
    /// <summary>The resource kind, e.g. "RateLimitPolicy" (also the status entry's kind).</summary>
    string Kind { get; }

    /// <summary>Attaches this kind's policies in <paramref name="policies"/> for one translation.</summary>
    IPolicyAttachment Attach(IReadOnlyList<PolicyResource> policies, PolicyTargets targets, PolicyContext context);
}

/// <summary>One kind's policies attached for one translation: effective features per place, and status.</summary>
internal interface IPolicyAttachment
{
    /// <summary><paramref name="features"/> with this kind's effective listener-level feature (Gateway and listener policies).</summary>
    IrFilterFeatures ApplyToListener(IrFilterFeatures features, string gatewayKey, string listener);

    /// <summary>
    /// <paramref name="features"/> with this kind's effective feature for one route rule reached through
    /// one listener; records status (overrides, merge errors) against <paramref name="irRouteName"/>.
    /// </summary>
    IrFilterFeatures ApplyToRoute(IrFilterFeatures features, PolicyPlace place, string irRouteName);

    /// <summary>
    /// One Envoy listener's features (its own and its routes') checked together, once every route has its
    /// own: what cannot be served side by side is left out and reported against <paramref name="irListenerName"/>.
    /// </summary>
    (IrFilterFeatures Listener, List<IrVirtualHost> VirtualHosts) CheckListener(
        string irListenerName, IrFilterFeatures listener, List<IrVirtualHost> virtualHosts);

    IReadOnlyList<PolicyStatus> Statuses();
}

/// <summary>Where a route rule is, as policies see it.</summary>
internal readonly record struct PolicyPlace(string GatewayKey, string Listener, string RouteKind, string RouteKey, string? RuleName);
