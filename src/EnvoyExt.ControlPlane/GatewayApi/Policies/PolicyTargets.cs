using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// What policies of any kind can attach to in one translation: our Gateways (with their listeners)
/// and the translated routes (with their rule names). Resolves a targetRef to a slot and names the
/// GEP-713 ancestors a policy reports status against.
/// </summary>
internal sealed class PolicyTargets(
    IReadOnlyDictionary<string, List<ListenerState>> ourGateways,
    IReadOnlyDictionary<string, TranslatedRoute> routes)
{
    /// <summary>The slot targetRefs[<paramref name="index"/>] attaches to, or the reason it cannot attach.</summary>
    public (PolicySlot? Slot, (string Reason, string Message)? Problem) Resolve(PolicyResource policy, int index)
    {
        var target = policy.TargetRefs[index];
        var key = policy.Metadata.Namespace + "/" + target.Name;
        var field = $"spec.targetRefs[{index}]";
        if (target.Kind == "Gateway")
        {
            if (!ourGateways.TryGetValue(key, out var listeners))
            {
                return (null, (Reasons.TargetNotFound, $"{field}: Gateway {key} not found (or not managed by {ControllerIdentity.ControllerName})"));
            }

            if (target.SectionName is null)
            {
                return (PolicySlots.Gateway(key), null);
            }

            return listeners.Any(l => l.Listener.Name == target.SectionName)
                ? (PolicySlots.Listener(key, target.SectionName), null)
                : (null, (Reasons.TargetNotFound, $"{field}.sectionName: Gateway {key} has no listener named {target.SectionName}"));
        }

        if (!routes.TryGetValue(target.Kind + "/" + key, out var route))
        {
            return (null, (Reasons.TargetNotFound, $"{field}: {target.Kind} {key} not found"));
        }

        if (target.SectionName is null)
        {
            return (PolicySlots.Route(target.Kind, key), null);
        }

        return route.RuleNames.Contains(target.SectionName)
            ? (PolicySlots.Rule(target.Kind, key, target.SectionName), null)
            : (null, (Reasons.TargetNotFound, $"{field}.sectionName: {target.Kind} {key} has no rule named {target.SectionName}"));
    }

    /// <summary>
    /// Ancestors are Gateways: the targeted one (with sectionName for a listener) or every one of our
    /// Gateways a targeted route is attached to. A target with no known Gateway (e.g. a missing route)
    /// is reported against the target itself.
    /// </summary>
    public IReadOnlyList<ParentRefStatus> AncestorsOf(PolicyResource policy, PolicyTargetReference target)
    {
        var ns = policy.Metadata.Namespace;
        if (target.Kind == "Gateway" || !routes.TryGetValue(target.Kind + "/" + ns + "/" + target.Name, out var route))
        {
            return [new ParentRefStatus(target.Group, target.Kind, ns, target.Name, target.SectionName, null)];
        }

        var gateways = route.ParentRefs
            .Where(p => p.Group == GroupNames.GatewayApi && p.Kind == "Gateway")
            .Select(p => new ParentRefStatus(GroupNames.GatewayApi, "Gateway", p.Namespace ?? ns, p.Name, p.SectionName, null))
            .Where(p => ourGateways.ContainsKey(p.Namespace + "/" + p.Name))
            .Distinct()
            .ToList();
        return gateways.Count > 0 ? gateways : [new ParentRefStatus(target.Group, target.Kind, ns, target.Name, target.SectionName, null)];
    }
}
