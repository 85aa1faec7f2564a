using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>Every registered policy kind attached for one translation; the IR builder asks it for features.</summary>
internal sealed class PolicyEngine
{
    private readonly IReadOnlyList<IPolicyAttachment> _attachments;

    public PolicyEngine(IReadOnlyList<IPolicyKind> kinds, IReadOnlyList<PolicyResource> policies, PolicyTargets targets, PolicyContext context)
    {
        _attachments = kinds.Select(k => k.Attach(policies.Where(p => p.Kind == k.Kind).ToList(), targets, context)).ToList();
    }

    /// <summary>Listener-level features (Gateway and listener policies of every kind).</summary>
    public IrFilterFeatures ForListener(string gatewayKey, string listener)
    {
        var features = IrFilterFeatures.None;
        foreach (var attachment in _attachments)
        {
            features = attachment.ApplyToListener(features, gatewayKey, listener);
        }

        return features;
    }

    /// <summary>Features of one route rule reached through one listener, starting from what the route already carries.</summary>
    public IrFilterFeatures ForRoute(IrFilterFeatures features, PolicyPlace place, string irRouteName)
    {
        foreach (var attachment in _attachments)
        {
            features = attachment.ApplyToRoute(features, place, irRouteName);
        }

        return features;
    }

    /// <summary>One Envoy listener checked as a whole by every kind, after its routes got their features (see <see cref="IPolicyAttachment.CheckListener"/>).</summary>
    public (IrFilterFeatures Listener, List<IrVirtualHost> VirtualHosts) CheckListener(
        string irListenerName, IrFilterFeatures listener, List<IrVirtualHost> virtualHosts)
    {
        foreach (var attachment in _attachments)
        {
            (listener, virtualHosts) = attachment.CheckListener(irListenerName, listener, virtualHosts);
        }

        return (listener, virtualHosts);
    }

    public IReadOnlyList<PolicyStatus> Statuses() => _attachments.SelectMany(a => a.Statuses()).ToList();
}
