using System.Text.Json.Nodes;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace EnvoyExt.Demo;

/// <summary>
/// Builds an ABI-host scenario (docs/abi-host.md) from what a node received over xDS: the dynamic-module
/// filters of the first HTTP listener, in chain order, and its routes with their per-route filter configs.
/// The host matches routes by path prefix only, so Exact and PathPrefix matches map to a prefix and
/// regex routes are skipped; the demo's requests target prefix routes.
/// </summary>
internal static class HostScenarioBuilder
{
    public static JsonObject Build(NodeConfiguration config, int workers)
    {
        var (hcm, routeTable) = FirstHttpListener(config);
        var filters = new JsonArray();
        var chainNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var httpFilter in hcm.HttpFilters)
        {
            if (httpFilter.TypedConfig is not { } any || !any.Is(DynamicModuleFilter.Descriptor))
            {
                continue;
            }

            var module = any.Unpack<DynamicModuleFilter>();
            chainNames.Add(httpFilter.Name);
            filters.Add(new JsonObject
            {
                // The HCM name keys per-route configs, as in Envoy: a chain may hold one filter_name twice.
                ["name"] = httpFilter.Name,
                ["filter_name"] = module.FilterName,
                ["module"] = module.DynamicModuleConfig?.Name ?? "envoyext",
                ["config"] = FilterConfigBytes.ToModuleText(module.FilterConfig),
            });
        }

        var routes = new JsonArray();
        foreach (var route in routeTable.VirtualHosts.SelectMany(v => v.Routes))
        {
            var prefix = PrefixOf(route.Match);
            if (prefix is null)
            {
                continue;
            }

            var perFilter = new JsonObject();
            foreach (var (chainName, any) in route.TypedPerFilterConfig)
            {
                if (any.Is(DynamicModuleFilterPerRoute.Descriptor) && chainNames.Contains(chainName))
                {
                    perFilter[chainName] = FilterConfigBytes.ToModuleText(any.Unpack<DynamicModuleFilterPerRoute>().FilterConfig);
                }
            }

            routes.Add(new JsonObject { ["name"] = route.Name, ["prefix"] = prefix, ["per_filter_config"] = perFilter });
        }

        return new JsonObject
        {
            ["module"] = new JsonObject { ["name"] = "envoyext", ["do_not_close"] = true },
            ["workers"] = workers,
            ["filters"] = filters,
            ["routes"] = routes,
            ["ads_secrets"] = new JsonObject(config.GenericSecrets.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
        };
    }

    private static (HttpConnectionManager Hcm, RouteConfiguration Routes) FirstHttpListener(NodeConfiguration config)
    {
        foreach (var filter in config.Listeners.SelectMany(l => l.FilterChains).SelectMany(c => c.Filters))
        {
            if (filter.TypedConfig is { } any && any.Is(HttpConnectionManager.Descriptor))
            {
                var hcm = any.Unpack<HttpConnectionManager>();
                if (hcm.Rds is { } rds && config.Routes.TryGetValue(rds.RouteConfigName, out var table))
                {
                    return (hcm, table);
                }
            }
        }

        throw new InvalidOperationException("the node received no HTTP listener with a route table");
    }

    private static string? PrefixOf(RouteMatch match) => match.PathSpecifierCase switch
    {
        RouteMatch.PathSpecifierOneofCase.Prefix => match.Prefix,
        RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => match.PathSeparatedPrefix,
        RouteMatch.PathSpecifierOneofCase.Path => match.Path,
        _ => null,
    };
}
