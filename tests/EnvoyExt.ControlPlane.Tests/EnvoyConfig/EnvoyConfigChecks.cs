using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.DynamicModules.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Upstreams.Http.V3;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>
/// What a schema-valid bootstrap must additionally get right for EnvoyExt: how the module is loaded,
/// that per-route overrides reach a filter that exists, that the rate-limit JSON passes the filter's
/// own validator at the right level, and that the xDS bootstrap can actually reach the controller.
/// Each check returns a readable problem instead of throwing, so one run lists all of them.
/// </summary>
internal static class EnvoyConfigChecks
{
    public const string ModuleName = "envoyext";
    public const string RateLimitFilterName = "rate_limit";
    public const string HttpProtocolOptionsKey = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static List<string> Problems(Bootstrap bootstrap)
    {
        var problems = new List<string>();
        CheckFieldRules(bootstrap, problems);
        CheckModuleLoading(bootstrap, problems);
        var clusters = bootstrap.StaticResources?.Clusters ?? new RepeatedField<Cluster>();
        CheckClusters(clusters, problems);
        var clusterNames = clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var visited in MessageWalker.Walk(bootstrap))
        {
            if (visited.Message is HttpConnectionManager hcm)
            {
                CheckConnectionManager(visited.Path, hcm, clusterNames, problems);
            }
        }
        CheckDynamicResources(bootstrap, clusters, problems);
        return problems;
    }

    /// <summary>Every rate_limit filter_config in the file with the level it is attached at.</summary>
    public static IEnumerable<(string Path, RateLimitConfigLevel Level)> RateLimitConfigs(Bootstrap bootstrap)
    {
        foreach (var visited in MessageWalker.Walk(bootstrap))
        {
            if (visited.Message is DynamicModuleFilter { FilterName: RateLimitFilterName })
            {
                yield return (visited.Path, RateLimitConfigLevel.Listener);
            }
            else if (visited.Message is DynamicModuleFilterPerRoute perRoute && EffectiveName(perRoute) == RateLimitFilterName)
            {
                yield return (visited.Path, RateLimitConfigLevel.Route);
            }
        }
    }

    // Envoy also enforces protoc-gen-validate rules that a JSON parser knows nothing about; these are
    // the ones our files can break (required oneofs, non-empty names, port range).
    private static void CheckFieldRules(Bootstrap bootstrap, List<string> problems)
    {
        foreach (var (path, message) in MessageWalker.Walk(bootstrap))
        {
            switch (message)
            {
                case SocketAddress socket:
                    if (socket.Address.Length == 0)
                    {
                        problems.Add($"{path}.address: required");
                    }
                    if (socket.PortValue > 65535)
                    {
                        problems.Add($"{path}.port_value: must be <= 65535 (got {socket.PortValue})");
                    }
                    break;
                case Envoy.Config.Listener.V3.Filter { Name.Length: 0 }:
                case HttpFilter { Name.Length: 0 }:
                case Cluster { Name.Length: 0 }:
                case VirtualHost { Name.Length: 0 }:
                    problems.Add($"{path}.name: required");
                    break;
                case VirtualHost { Domains.Count: 0 }:
                    problems.Add($"{path}.domains: at least one domain");
                    break;
                case RouteMatch { PathSpecifierCase: RouteMatch.PathSpecifierOneofCase.None }:
                    problems.Add($"{path}: one of prefix, path, safe_regex, path_separated_prefix is required");
                    break;
                case Route { ActionCase: Route.ActionOneofCase.None }:
                    problems.Add($"{path}: one of route, redirect, direct_response is required");
                    break;
                case ConfigSource { ConfigSourceSpecifierCase: ConfigSource.ConfigSourceSpecifierOneofCase.None }:
                    problems.Add($"{path}: one of path, api_config_source, ads, self is required");
                    break;
                case GrpcService { EnvoyGrpc: null }:
                    problems.Add($"{path}.envoy_grpc: required");
                    break;
                case GrpcService.Types.EnvoyGrpc { ClusterName.Length: 0 }:
                    problems.Add($"{path}.cluster_name: required");
                    break;
            }
        }
    }

    // A NativeAOT runtime cannot be unloaded, and all EnvoyExt filters live in one libenvoyext.so.
    private static void CheckModuleLoading(Bootstrap bootstrap, List<string> problems)
    {
        foreach (var (path, message) in MessageWalker.Walk(bootstrap))
        {
            DynamicModuleConfig? module;
            switch (message)
            {
                case DynamicModuleFilter filter:
                    module = filter.DynamicModuleConfig;
                    break;
                case DynamicModuleFilterPerRoute perRoute:
                    module = perRoute.DynamicModuleConfig;
                    break;
                default:
                    continue;
            }
            if (module is null)
            {
                problems.Add($"{path}.dynamic_module_config: required");
                continue;
            }
            if (module.Name != ModuleName)
            {
                problems.Add($"{path}.dynamic_module_config.name: must be \"{ModuleName}\" (got \"{module.Name}\")");
            }
            if (!module.DoNotClose)
            {
                problems.Add($"{path}.dynamic_module_config.do_not_close: must be true (the .NET runtime cannot be unloaded)");
            }
        }
    }

    private static void CheckConnectionManager(string path, HttpConnectionManager hcm, HashSet<string> clusters, List<string> problems)
    {
        if (string.IsNullOrEmpty(hcm.StatPrefix))
        {
            problems.Add($"{path}.stat_prefix: required");
        }
        // Filter name -> the module filter it runs (null for non-module filters such as the router).
        var chain = new Dictionary<string, DynamicModuleFilter?>(StringComparer.Ordinal);
        for (int i = 0; i < hcm.HttpFilters.Count; i++)
        {
            var filter = hcm.HttpFilters[i];
            string filterPath = $"{path}.http_filters[{i}]";
            if (filter.TypedConfig is null)
            {
                problems.Add($"{filterPath}.typed_config: required");
                continue;
            }
            var config = EnvoyBootstrapSchema.Unpack(filter.TypedConfig);
            if (!chain.TryAdd(filter.Name, config as DynamicModuleFilter))
            {
                problems.Add($"{filterPath}.name: duplicate HTTP filter name \"{filter.Name}\"");
            }
            bool last = i == hcm.HttpFilters.Count - 1;
            if (config is Router != last)
            {
                problems.Add($"{filterPath}: the router must be the last HTTP filter, and only there");
            }
            if (config is DynamicModuleFilter { FilterName: RateLimitFilterName } module)
            {
                CheckRateLimitJson($"{filterPath}.typed_config.filter_config", module.FilterConfig, RateLimitConfigLevel.Listener, problems);
            }
        }
        if (hcm.RouteConfig is not { } routes)
        {
            return;
        }
        for (int v = 0; v < routes.VirtualHosts.Count; v++)
        {
            var host = routes.VirtualHosts[v];
            string hostPath = $"{path}.route_config.virtual_hosts[{v}]";
            CheckPerFilterConfigs($"{hostPath}.typed_per_filter_config", host.TypedPerFilterConfig, chain, problems);
            for (int r = 0; r < host.Routes.Count; r++)
            {
                var route = host.Routes[r];
                string routePath = $"{hostPath}.routes[{r}]";
                CheckPerFilterConfigs($"{routePath}.typed_per_filter_config", route.TypedPerFilterConfig, chain, problems);
                if (route.Route_ is { ClusterSpecifierCase: RouteAction.ClusterSpecifierOneofCase.Cluster } action && !clusters.Contains(action.Cluster))
                {
                    problems.Add($"{routePath}.route.cluster: no static cluster named \"{action.Cluster}\"");
                }
            }
        }
    }

    // Envoy looks a per-route config up by the HTTP filter's name; a key naming no filter is ignored silently.
    private static void CheckPerFilterConfigs(string path, MapField<string, Any> perFilter,
        Dictionary<string, DynamicModuleFilter?> chain, List<string> problems)
    {
        foreach (var (key, any) in perFilter)
        {
            string entryPath = $"{path}[{key}]";
            if (!chain.TryGetValue(key, out var module))
            {
                problems.Add($"{entryPath}: names no HTTP filter of this connection manager (filters: {string.Join(", ", chain.Keys)})");
                continue;
            }
            if (module is null)
            {
                continue;
            }
            if (EnvoyBootstrapSchema.Unpack(any) is not DynamicModuleFilterPerRoute perRoute)
            {
                problems.Add($"{entryPath}: must be a DynamicModuleFilterPerRoute for module filter \"{key}\" (got {any.TypeUrl})");
                continue;
            }
            if (EffectiveName(perRoute) != module.FilterName)
            {
                problems.Add($"{entryPath}.filter_name: must be \"{module.FilterName}\" like the filter it overrides (got \"{EffectiveName(perRoute)}\")");
            }
            // Set both names so releases that know only per_route_config_name read the same thing.
            if (perRoute.PerRouteConfigName != perRoute.FilterName)
            {
                problems.Add($"{entryPath}: filter_name and per_route_config_name must be equal (got \"{perRoute.FilterName}\" and \"{perRoute.PerRouteConfigName}\")");
            }
            if (module.FilterName == RateLimitFilterName)
            {
                CheckRateLimitJson($"{entryPath}.filter_config", perRoute.FilterConfig, RateLimitConfigLevel.Route, problems);
            }
        }
    }

    // When both are set Envoy uses filter_name; older releases know only per_route_config_name.
    private static string EffectiveName(DynamicModuleFilterPerRoute perRoute) =>
        perRoute.FilterName.Length > 0 ? perRoute.FilterName : perRoute.PerRouteConfigName;

    // Our contract (docs/filters/rate-limit.md): JSON text in a StringValue, which Envoy hands over unwrapped.
    private static void CheckRateLimitJson(string path, Any? config, RateLimitConfigLevel level, List<string> problems)
    {
        if (config is null)
        {
            problems.Add($"{path}: required (a google.protobuf.StringValue holding the rate_limit JSON)");
            return;
        }
        if (EnvoyBootstrapSchema.Unpack(config) is not StringValue json)
        {
            problems.Add($"{path}: must be a google.protobuf.StringValue (got {config.TypeUrl})");
            return;
        }
        if (!RateLimitConfigJson.TryParse(json.Value, level, out _, out string? error))
        {
            problems.Add($"{path}: rejected by the rate_limit filter at {level} level: {error}");
        }
    }

    private static void CheckClusters(RepeatedField<Cluster> clusters, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            string path = $"bootstrap.static_resources.clusters[{cluster.Name}]";
            if (!names.Add(cluster.Name))
            {
                problems.Add($"{path}: duplicate cluster name");
            }
            if (cluster.ConnectTimeout is null)
            {
                problems.Add($"{path}.connect_timeout: set it explicitly (the 5s default hides an unreachable upstream)");
            }
            if (cluster.Type == Cluster.Types.DiscoveryType.Eds)
            {
                // A bootstrap's static clusters must work before any xDS stream exists.
                problems.Add($"{path}.type: a static cluster cannot be EDS");
                continue;
            }
            var endpoints = cluster.LoadAssignment?.Endpoints.SelectMany(e => e.LbEndpoints).ToList() ?? [];
            if (endpoints.Count == 0)
            {
                problems.Add($"{path}.load_assignment: needs at least one endpoint");
            }
            else if (cluster.LoadAssignment!.ClusterName != cluster.Name)
            {
                problems.Add($"{path}.load_assignment.cluster_name: must equal the cluster name (got \"{cluster.LoadAssignment.ClusterName}\")");
            }
        }
    }

    private static void CheckDynamicResources(Bootstrap bootstrap, RepeatedField<Cluster> clusters, List<string> problems)
    {
        if (bootstrap.DynamicResources is not { } dynamic)
        {
            return;
        }
        // docs/controller.md: node.cluster is the Gateway key "<namespace>/<name>", node.id the replica.
        if (string.IsNullOrEmpty(bootstrap.Node?.Id))
        {
            problems.Add("bootstrap.node.id: required with dynamic resources");
        }
        if (bootstrap.Node?.Cluster is not { } gateway || gateway.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            problems.Add($"bootstrap.node.cluster: must be \"<namespace>/<gateway name>\" (got \"{bootstrap.Node?.Cluster}\")");
        }
        CheckAdsSource("bootstrap.dynamic_resources.lds_config", dynamic.LdsConfig, dynamic, problems);
        CheckAdsSource("bootstrap.dynamic_resources.cds_config", dynamic.CdsConfig, dynamic, problems);
        if (dynamic.AdsConfig is not { } ads)
        {
            return;
        }
        const string adsPath = "bootstrap.dynamic_resources.ads_config";
        if (ads.ApiType is not (ApiConfigSource.Types.ApiType.Grpc or ApiConfigSource.Types.ApiType.DeltaGrpc))
        {
            problems.Add($"{adsPath}.api_type: must be GRPC or DELTA_GRPC (got {ads.ApiType})");
        }
        if (ads.TransportApiVersion != ApiVersion.V3)
        {
            problems.Add($"{adsPath}.transport_api_version: must be V3");
        }
        if (ads.GrpcServices.Count == 0)
        {
            problems.Add($"{adsPath}.grpc_services: required");
        }
        foreach (var service in ads.GrpcServices)
        {
            string name = service.EnvoyGrpc?.ClusterName ?? "";
            var cluster = clusters.FirstOrDefault(c => c.Name == name);
            if (cluster is null)
            {
                problems.Add($"{adsPath}.grpc_services.envoy_grpc.cluster_name: no static cluster named \"{name}\"");
            }
            else if (!SpeaksHttp2(cluster))
            {
                problems.Add($"bootstrap.static_resources.clusters[{name}]: gRPC needs HTTP/2 ({HttpProtocolOptionsKey} with http2_protocol_options)");
            }
        }
    }

    private static void CheckAdsSource(string path, ConfigSource? source, Bootstrap.Types.DynamicResources dynamic, List<string> problems)
    {
        if (source is null)
        {
            return;
        }
        if (source.ResourceApiVersion != ApiVersion.V3)
        {
            problems.Add($"{path}.resource_api_version: must be V3");
        }
        if (source.ConfigSourceSpecifierCase == ConfigSource.ConfigSourceSpecifierOneofCase.Ads && dynamic.AdsConfig is null)
        {
            problems.Add($"{path}.ads: needs bootstrap.dynamic_resources.ads_config");
        }
    }

    private static bool SpeaksHttp2(Cluster cluster) =>
        cluster.TypedExtensionProtocolOptions.TryGetValue(HttpProtocolOptionsKey, out var any)
        && EnvoyBootstrapSchema.Unpack(any) is HttpProtocolOptions options
        && options.ExplicitHttpConfig?.Http2ProtocolOptions is not null;
}
