using Envoy.Extensions.DynamicModules.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// Builds our module's rate-limit filter for a listener's HCM and its per-route overrides. The JSON
/// inside is the filter's own DTO serialized by the filter's own serializer, so the schema
/// (docs/filters/rate-limit.md) exists once.
/// </summary>
internal static class RateLimitFilterTranslator
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string HttpFilterName = "envoyext.rate_limit";

    /// <summary>The filter_name our module dispatches on.</summary>
    public const string ModuleFilterName = "rate_limit";

    public const string ModuleName = "envoyext";

    /// <summary>Used on a route no policy reaches, so a listener-level config does not leak onto it.</summary>
    public static readonly string DisabledJson = RateLimitConfigJson.Serialize(RateLimitConfig.DisabledForRoute());

    /// <summary>The listener-level document when only routes carry policies: no rules, passes everything.</summary>
    private static readonly string EmptyConfigJson = RateLimitConfigJson.Serialize(new RateLimitConfig { Rules = [] });

    /// <summary>
    /// The filter is needed when the listener has a config or any of its routes has one; a listener
    /// without its own config then runs a rule-less document, which passes everything.
    /// </summary>
    public static bool IsNeeded(IrHttpListener listener) =>
        listener.RateLimit is not null ||
        listener.VirtualHosts.Any(vh => vh.Routes.Any(r => r.RateLimit is not null));

    public static HttpFilter ListenerFilter(RateLimitConfig? listenerConfig)
    {
        var json = listenerConfig is null ? EmptyConfigJson : RateLimitConfigJson.Serialize(listenerConfig);
        var filter = new DynamicModuleFilter
        {
            DynamicModuleConfig = ModuleConfig(),
            FilterName = ModuleFilterName,
            FilterConfig = Any.Pack(new StringValue { Value = json }),
        };
        return new HttpFilter { Name = HttpFilterName, TypedConfig = Any.Pack(filter) };
    }

    /// <summary>
    /// Per-route overrides of one translation, shared between routes: with thousands of routes most
    /// carry one of a few effective configs (a Gateway default, "disabled"), so each distinct config
    /// object is serialized once and each distinct JSON document packed once.
    /// </summary>
    public sealed class PerRouteCache
    {
        private readonly Dictionary<RateLimitConfig, string> _json = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, Any> _packed = new(StringComparer.Ordinal);

        /// <summary>The route's effective config, or the disabling document when none applies.</summary>
        public Any PerRoute(RateLimitConfig? routeConfig)
        {
            string json;
            if (routeConfig is null)
            {
                json = DisabledJson;
            }
            else if (!_json.TryGetValue(routeConfig, out json!))
            {
                json = RateLimitConfigJson.Serialize(routeConfig);
                _json[routeConfig] = json;
            }
            if (!_packed.TryGetValue(json, out var packed))
            {
                packed = Pack(json);
                _packed[json] = packed;
            }
            return packed;
        }
    }

    private static Any Pack(string json)
    {
        var perRoute = new DynamicModuleFilterPerRoute
        {
            DynamicModuleConfig = ModuleConfig(),
            // Both names: 1.40 reads per_route_config_name, later releases prefer filter_name.
            PerRouteConfigName = ModuleFilterName,
            FilterName = ModuleFilterName,
            FilterConfig = Any.Pack(new StringValue { Value = json }),
        };
        return Any.Pack(perRoute);
    }

    // do_not_close: the .NET runtime inside libenvoyext.so cannot be unloaded and reloaded.
    private static DynamicModuleConfig ModuleConfig() => new() { Name = ModuleName, DoNotClose = true };
}
