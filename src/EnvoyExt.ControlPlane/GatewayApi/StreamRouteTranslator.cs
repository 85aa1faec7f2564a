using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// TLSRoute and TCPRoute to one IR route each: a connection has no request to match, so a route is
/// its backends (weighted). One rule is supported, as the spec's core support level says; a route
/// with more is reported UnsupportedValue.
/// </summary>
internal sealed class StreamRouteTranslator(RuleTranslator rules)
{
    public TranslatedRoute Translate(TlsRoute route)
    {
        var problems = new RouteProblems();
        RuleTranslator.CheckHostnames(route.Hostnames, problems);
        return Translate(route, route.ParentRefs, route.Hostnames, route.Rules, problems);
    }

    public TranslatedRoute Translate(TcpRoute route) => Translate(route, route.ParentRefs, [], route.Rules, new RouteProblems());

    private TranslatedRoute Translate(
        KubernetesResource route, IReadOnlyList<ParentReference> parentRefs, IReadOnlyList<string> hostnames,
        IReadOnlyList<StreamRouteRule> ruleList, RouteProblems problems)
    {
        var ns = route.Metadata.Namespace;
        var entries = new List<RouteEntry>();
        if (ruleList.Count != 1)
        {
            problems.Unsupported($"spec.rules: exactly one rule is supported (got {ruleList.Count})");
        }
        else
        {
            var rule = ruleList[0];
            for (var i = 0; i < rule.BackendRefs.Count; i++)
            {
                if (rule.BackendRefs[i].Filters.Count > 0)
                {
                    problems.Unsupported($"spec.rules[0].backendRefs[{i}].filters: a {route.Kind} backend carries a byte stream, which no filter applies to");
                }
            }

            var action = rules.Forward(route.Kind, ns, rule.BackendRefs, "spec.rules[0].backendRefs", null, problems, http2: false);
            // No valid backend: no entry, so the connection finds no filter chain and is closed.
            if (action is IrForward)
            {
                var name = $"{route.Kind.ToLowerInvariant()}/{ns}/{route.Metadata.Name}/rule/0";
                var ir = new IrRoute(name, new IrRouteMatch(null, [], [], null, null), action, [], [], [], IrFilterFeatures.None);
                var order = new RouteOrderKey(0, 0, false, 0, 0, route.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue, route.Metadata.Key, 0, 0);
                entries.Add(new RouteEntry(ir, rule.Name, order));
            }
        }

        return new TranslatedRoute(route, parentRefs, hostnames, entries, ruleList.Select(r => r.Name).ToList(),
            problems.AcceptedReason, problems.AcceptedMessage, problems.RefsReason, problems.RefsMessage);
    }
}
