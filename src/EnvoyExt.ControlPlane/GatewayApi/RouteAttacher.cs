using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>A route attached to one listener, serving these (intersected) hostnames.</summary>
internal sealed record Attachment(ListenerState Listener, TranslatedRoute Route, IReadOnlyList<string> Hostnames);

/// <summary>
/// Attaches routes to Gateway listeners through their parentRefs and writes route parent status.
/// Order of checks for a parentRef: the Gateway exists and is ours, sectionName/port name a
/// listener (NoMatchingParent), a listener allows the route's namespace and kind
/// (NotAllowedByListeners), hostnames intersect (NoMatchingListenerHostname), the route itself is
/// valid (UnsupportedValue / IncompatibleFilters).
/// </summary>
internal sealed class RouteAttacher(
    IReadOnlyDictionary<string, Gateway> allGateways,
    IReadOnlyDictionary<string, List<ListenerState>> ourListeners,
    ResourceIndex index)
{
    public List<Attachment> Attachments { get; } = [];

    public RouteStatus? Attach(TranslatedRoute route)
    {
        var resource = route.Resource;
        var generation = resource.Metadata.Generation;
        var parents = new List<RouteParentStatus>();
        foreach (var parentRef in route.ParentRefs)
        {
            if (parentRef.Group != GroupNames.GatewayApi || parentRef.Kind != "Gateway")
            {
                continue; // not a parent kind we implement (e.g. a ListenerSet or a mesh Service)
            }

            var gatewayKey = (parentRef.Namespace ?? resource.Metadata.Namespace) + "/" + parentRef.Name;
            var refStatus = new ParentRefStatus(parentRef.Group, parentRef.Kind, parentRef.Namespace ?? resource.Metadata.Namespace,
                parentRef.Name, parentRef.SectionName, parentRef.Port);
            if (allGateways.ContainsKey(gatewayKey) && !ourListeners.ContainsKey(gatewayKey))
            {
                continue; // another controller's Gateway: its status is not ours to write
            }

            var conditions = AttachToGateway(route, parentRef, gatewayKey, generation);
            parents.Add(new RouteParentStatus(refStatus, ControllerIdentity.ControllerName, conditions));
        }

        return parents.Count == 0 ? null : new RouteStatus(resource.Kind, resource.Metadata.Namespace, resource.Metadata.Name, parents);
    }

    private List<Condition> AttachToGateway(TranslatedRoute route, ParentReference parentRef, string gatewayKey, long generation)
    {
        var refs = route.RefsFailureReason is null
            ? Condition.True(Reasons.ResolvedRefs, Reasons.ResolvedRefs, "all references resolved", generation)
            : Condition.False(Reasons.ResolvedRefs, route.RefsFailureReason, route.RefsFailureMessage!, generation);

        if (!ourListeners.TryGetValue(gatewayKey, out var listeners))
        {
            return [Condition.False(Reasons.Accepted, Reasons.NoMatchingParent, $"Gateway {gatewayKey} not found", generation), refs];
        }

        var named = listeners
            .Where(l => parentRef.SectionName is null || l.Listener.Name == parentRef.SectionName)
            .Where(l => parentRef.Port is null || l.Listener.Port == parentRef.Port)
            .ToList();
        if (named.Count == 0)
        {
            var what = (parentRef.SectionName, parentRef.Port) switch
            {
                ({ } s, { } p) => $"no listener named {s} on port {p}",
                ({ } s, null) => $"no listener named {s}",
                (null, { } p) => $"no listener on port {p}",
                _ => "the Gateway has no listeners",
            };
            return [Condition.False(Reasons.Accepted, Reasons.NoMatchingParent, $"Gateway {gatewayKey}: {what}", generation), refs];
        }

        var routeNamespace = route.Resource.Metadata.Namespace;
        var allowed = named.Where(l => l.Ready && AllowsNamespace(l, routeNamespace) && AllowsKind(l, route.Resource.Kind)).ToList();
        if (allowed.Count == 0)
        {
            return [Condition.False(Reasons.Accepted, Reasons.NotAllowedByListeners,
                $"no listener of Gateway {gatewayKey} allows {route.Resource.Kind} from namespace {routeNamespace}", generation), refs];
        }

        var hostnameMatches = allowed
            .Select(l => (Listener: l, Hostnames: Hostnames.Intersect(l.Listener.Hostname, route.Hostnames)))
            .Where(x => x.Hostnames.Count > 0)
            .ToList();
        if (hostnameMatches.Count == 0)
        {
            return [Condition.False(Reasons.Accepted, Reasons.NoMatchingListenerHostname,
                $"no hostname of the route intersects a listener hostname of Gateway {gatewayKey}", generation), refs];
        }

        if (route.AcceptedFailureReason is not null)
        {
            return [Condition.False(Reasons.Accepted, route.AcceptedFailureReason, route.AcceptedFailureMessage!, generation), refs];
        }

        foreach (var (listener, hostnames) in hostnameMatches)
        {
            listener.AttachedRoutes++;
            Attachments.Add(new Attachment(listener, route, hostnames));
        }

        return [Condition.True(Reasons.Accepted, Reasons.Accepted, "route accepted", generation), refs];
    }

    private bool AllowsNamespace(ListenerState listener, string routeNamespace)
    {
        var allowed = listener.Listener.AllowedRoutes;
        return allowed.NamespacesFrom switch
        {
            "All" => true,
            "Selector" => allowed.NamespaceSelector?.Matches(index.NamespaceLabels(routeNamespace)) ?? false,
            _ => routeNamespace == listener.Gateway.Metadata.Namespace,
        };
    }

    private static bool AllowsKind(ListenerState listener, string kind) =>
        listener.SupportedKinds.Any(k => k.Group == GroupNames.GatewayApi && k.Kind == kind);
}
