using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using Google.Protobuf.Collections;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>IR HTTP listener -> its RouteConfiguration (virtual hosts, routes in precedence order).</summary>
internal static class RouteTranslator
{
    /// <param name="filters">The HTTP filter translators in chain order; <see cref="HttpFilterRegistry.Ordered"/> unless a test passes its own.</param>
    public static RouteConfiguration Translate(IrHttpListener listener, IReadOnlyList<IHttpFilterTranslator>? filters = null)
    {
        var config = new RouteConfiguration
        {
            Name = ListenerTranslator.RouteConfigurationName(listener),
            // Clusters are pushed before routes on the same stream, so Envoy need not re-check them.
            ValidateClusters = false,
        };
        // The filters installed on this listener, in chain order, each with its per-route configs.
        var perRoute = (filters ?? HttpFilterRegistry.Ordered)
            .Where(f => f.IsNeeded(listener))
            .Select(f => (f.HttpFilterName, Configs: f.PerRoute(listener)))
            .ToList();
        foreach (var vhost in listener.VirtualHosts)
        {
            var result = new VirtualHost { Name = vhost.Name };
            result.Domains.AddRange(vhost.Domains);
            foreach (var route in vhost.Routes)
            {
                result.Routes.Add(Route(route, perRoute));
            }
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

    private static void AddHeaderMutations(
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
