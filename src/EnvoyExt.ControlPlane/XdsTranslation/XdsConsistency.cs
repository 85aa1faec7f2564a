using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// Semantic checks of one Gateway's resources before they are served: a route naming a missing
/// cluster, a listener whose route configuration or certificate secret is missing, or a duplicate
/// name would make Envoy
/// reject the update (or black-hole traffic), so such a set is never published.
/// </summary>
public static class XdsConsistency
{
    /// <summary>Checks a set whose messages are parsed back from its bytes (hand-built sets, tests).</summary>
    public static List<string> Problems(GatewayXdsResources resources) => Problems(
        resources,
        resources.Listeners.Select(r => (Listener)r.Message).ToList(),
        resources.Routes.Select(r => (RouteConfiguration)r.Message).ToList());

    /// <summary>
    /// Checks a set with the messages it was built from (same order as its listeners and routes),
    /// so the translator does not parse back what it has just serialized.
    /// </summary>
    public static List<string> Problems(GatewayXdsResources resources, IReadOnlyList<Listener> listeners, IReadOnlyList<RouteConfiguration> routeConfigurations)
    {
        var problems = new List<string>();
        foreach (var typeUrl in XdsTypeUrls.PushOrder)
        {
            foreach (var duplicate in resources.Get(typeUrl).GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add($"{XdsTypeUrls.Label(typeUrl)}: name \"{duplicate.Key}\" is used {duplicate.Count()} times");
            }
        }

        var clusters = resources.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var assignments = resources.Endpoints.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var cluster in clusters.Where(c => !assignments.Contains(c)))
        {
            problems.Add($"clusters: \"{cluster}\" has no endpoints resource (ClusterLoadAssignment)");
        }

        var routeConfigs = resources.Routes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var secrets = resources.Secrets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var ports = new HashSet<(string, uint)>();
        foreach (var listener in listeners)
        {
            if (!ports.Add((listener.Address.SocketAddress.Address, listener.Address.SocketAddress.PortValue)))
            {
                problems.Add($"listeners: \"{listener.Name}\" binds {listener.Address.SocketAddress.Address}:{listener.Address.SocketAddress.PortValue}, already bound by another listener");
            }
            foreach (var chain in listener.FilterChains)
            {
                if (chain.TransportSocket?.TypedConfig is { } tls && tls.TryUnpack<DownstreamTlsContext>(out var context))
                {
                    var fetched = context.CommonTlsContext.TlsCertificateSdsSecretConfigs.Select(c => c.Name);
                    if (context.CommonTlsContext.ValidationContextSdsSecretConfig is { } validation)
                    {
                        fetched = fetched.Append(validation.Name);
                    }

                    foreach (var missing in fetched.Where(n => !secrets.Contains(n)))
                    {
                        problems.Add($"listeners: \"{listener.Name}\" filter chain \"{chain.Name}\" fetches secret \"{missing}\", which does not exist");
                    }
                }
            }

            foreach (var filter in listener.FilterChains.SelectMany(c => c.Filters))
            {
                if (filter.TypedConfig.TryUnpack<HttpConnectionManager>(out var hcm) && !routeConfigs.Contains(hcm.Rds.RouteConfigName))
                {
                    problems.Add($"listeners: \"{listener.Name}\" fetches route configuration \"{hcm.Rds.RouteConfigName}\", which does not exist");
                }

                if (filter.TypedConfig.TryUnpack<TcpProxy>(out var proxy))
                {
                    var named = proxy.ClusterSpecifierCase == TcpProxy.ClusterSpecifierOneofCase.Cluster
                        ? [proxy.Cluster]
                        : proxy.WeightedClusters.Clusters.Select(c => c.Name).ToList();
                    foreach (var missing in named.Where(c => !clusters.Contains(c)))
                    {
                        problems.Add($"listeners: \"{listener.Name}\" proxies TCP to cluster \"{missing}\", which does not exist");
                    }
                }
            }
        }

        for (var i = 0; i < routeConfigurations.Count; i++)
        {
            var resourceName = resources.Routes[i].Name;
            foreach (var route in routeConfigurations[i].VirtualHosts.SelectMany(v => v.Routes))
            {
                if (route.ActionCase != Route.ActionOneofCase.Route_)
                {
                    continue;
                }
                var action = route.Route_;
                var named = action.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.Cluster
                    ? [action.Cluster]
                    : action.WeightedClusters.Clusters.Select(c => c.Name).ToList();
                named.AddRange(action.RequestMirrorPolicies.Select(m => m.Cluster));
                foreach (var missing in named.Where(c => !clusters.Contains(c)))
                {
                    problems.Add($"routes: \"{resourceName}\" route \"{route.Name}\" names cluster \"{missing}\", which does not exist");
                }
            }
        }
        return problems;
    }
}
