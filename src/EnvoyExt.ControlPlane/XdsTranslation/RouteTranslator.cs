using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using Google.Protobuf.Collections;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// IR HTTP listener -> its RouteConfiguration(s): virtual hosts, routes in precedence order.
///
/// An HTTPS listener with several TLS chains gets one configuration per chain. Each holds the
/// virtual hosts its chain's Gateway listener owns, plus a virtual host answering 421 Misdirected
/// Request for every hostname another chain owns: an HTTP/2 client may reuse a connection for any
/// name its certificate covers, and such a request must not reach the routes of a listener whose
/// certificate, client validation or policies the connection never went through. Hostnames nobody
/// owns still get 404. Every configuration ignores a port in the Host header when picking the
/// virtual host ("example.com:8443" is served as "example.com") without rewriting the header.
/// </summary>
internal static class RouteTranslator
{
    public const uint MisdirectedRequest = 421;

    /// <param name="filters">The HTTP filter translators in chain order; <see cref="HttpFilterRegistry.Ordered"/> unless a test passes its own.</param>
    public static IReadOnlyList<RouteConfiguration> Translate(IrHttpListener listener, IReadOnlyList<IHttpFilterTranslator>? filters = null)
    {
        // The filters installed on this listener, in chain order, each with its per-route configs.
        var perRoute = (filters ?? HttpFilterRegistry.Ordered)
            .Where(f => f.IsNeeded(listener))
            .Select(f => (f.HttpFilterName, Configs: f.PerRoute(listener)))
            .ToList();
        if (!ListenerTranslator.HasRouteConfigurationPerChain(listener))
        {
            return [Configuration(ListenerTranslator.RouteConfigurationName(listener), listener.VirtualHosts, [], perRoute)];
        }

        var result = new List<RouteConfiguration>(listener.TlsChains!.Count);
        foreach (var chain in listener.TlsChains)
        {
            var own = listener.VirtualHosts.Where(v => v.Chain == chain.Name).ToList();
            var others = listener.VirtualHosts.Where(v => v.Chain != chain.Name).ToList();
            result.Add(Configuration(ListenerTranslator.RouteConfigurationName(listener, chain), own, others, perRoute));
        }

        return result;
    }

    private static RouteConfiguration Configuration(
        string name,
        IReadOnlyList<IrVirtualHost> virtualHosts,
        IReadOnlyList<IrVirtualHost> misdirected,
        List<(string HttpFilterName, IPerRouteFilterConfig Configs)> perRoute)
    {
        var config = new RouteConfiguration
        {
            Name = name,
            // Clusters are pushed before routes on the same stream, so Envoy need not re-check them.
            ValidateClusters = false,
            IgnorePortInHostMatching = true,
        };
        foreach (var vhost in virtualHosts)
        {
            var result = new VirtualHost { Name = vhost.Name };
            result.Domains.AddRange(vhost.Domains);
            foreach (var route in vhost.Routes)
            {
                result.Routes.Add(Route(route, perRoute));
            }
            config.VirtualHosts.Add(result);
        }

        // Domains are unique per route configuration: each hostname has exactly one owning chain.
        foreach (var vhost in misdirected)
        {
            var result = new VirtualHost { Name = vhost.Name + "/misdirected" };
            result.Domains.AddRange(vhost.Domains);
            result.Routes.Add(new Route
            {
                Name = vhost.Name + "/misdirected",
                Match = new RouteMatch { Prefix = "/" },
                DirectResponse = new DirectResponseAction { Status = MisdirectedRequest },
            });
            config.VirtualHosts.Add(result);
        }
        return config;
    }

    private static Route Route(IrRoute ir, List<(string HttpFilterName, IPerRouteFilterConfig Configs)> perRoute)
    {
        var route = new Route { Name = ir.Name, Match = RouteMatchTranslator.Translate(ir.Match) };
        RouteActionTranslator.Apply(route, ir);
        AddHeaderMutations(ir.RequestHeaderMutations, route.RequestHeadersToAdd, route.RequestHeadersToRemove);
        AddHeaderMutations(ir.ResponseHeaderMutations, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
        foreach (var (name, configs) in perRoute)
        {
            if (configs.For(ir) is { } config)
            {
                route.TypedPerFilterConfig.Add(name, config);
            }
        }
        return route;
    }

    /// <summary>Header mutations as Envoy's add/remove lists (route-wide, or one weighted cluster's).</summary>
    internal static void AddHeaderMutations(
        IReadOnlyList<IrHeaderMutation> mutations,
        RepeatedField<HeaderValueOption> toAdd,
        RepeatedField<string> toRemove)
    {
        foreach (var mutation in mutations)
        {
            if (mutation.Kind == HeaderMutationKind.Remove)
            {
                toRemove.Add(mutation.Name);
                continue;
            }
            toAdd.Add(new HeaderValueOption
            {
                Header = new HeaderValue { Key = mutation.Name, Value = mutation.Value ?? "" },
                AppendAction = mutation.Kind == HeaderMutationKind.Set
                    ? HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd
                    : HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd,
            });
        }
    }
}
