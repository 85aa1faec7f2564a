using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.RateLimit.Config;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// Our module's rate_limit filter on a listener's HCM and its per-route configs. The JSON inside is the
/// filter's own contract DTO serialized by the contract's serializer, so the schema
/// (docs/filters/rate-limit.md) exists once.
/// </summary>
internal sealed class RateLimitFilterTranslator : IHttpFilterTranslator
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string FilterName = "envoyext.rate_limit";

    /// <summary>Used on a route no policy reaches, so a listener-level config does not leak onto it.</summary>
    public static readonly string DisabledJson = RateLimitConfigJson.Serialize(RateLimitConfig.DisabledForRoute());

    /// <summary>The listener-level document when only routes carry policies: no rules, passes everything.</summary>
    private static readonly string EmptyConfigJson = RateLimitConfigJson.Serialize(new RateLimitConfig { Rules = [] });

    public string HttpFilterName => FilterName;

    public bool IsNeeded(IrHttpListener listener) =>
        listener.Filters.Get(IrFeatures.RateLimit) is not null ||
        listener.VirtualHosts.Any(vh => vh.Routes.Any(r => r.Filters.Get(IrFeatures.RateLimit) is not null));

    public HttpFilter ListenerFilter(IrHttpListener listener)
    {
        var config = listener.Filters.Get(IrFeatures.RateLimit);
        if (listener.Filters.Get(IrFeatures.RateLimitBackend) is { } backend)
        {
            // The listener-level document holds the Redis connection its own and its routes' Global rules use.
            config = new RateLimitConfig
            {
                Name = config?.Name,
                Rules = config?.Rules ?? [],
                MaxDistinctBuckets = config?.MaxDistinctBuckets,
                Response = config?.Response,
                Global = backend.Settings,
            };
        }

        var json = config is null ? EmptyConfigJson : RateLimitConfigJson.Serialize(config);
        return DynamicModuleFilters.Listener(FilterName, RateLimitFilterContract.FilterName, json);
    }

    public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new PerRouteCache();

    /// <summary>
    /// Per-route configs of one listener, shared between routes: with thousands of routes most carry
    /// one of a few effective configs (a Gateway default, "disabled"), so each distinct config object
    /// is serialized once and each distinct JSON document packed once.
    /// </summary>
    private sealed class PerRouteCache : IPerRouteFilterConfig
    {
        private readonly Dictionary<RateLimitConfig, string> _json = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, Any> _packed = new(StringComparer.Ordinal);

        /// <summary>The route's effective config, or the disabling document when none applies.</summary>
        public Any For(IrRoute route)
        {
            var config = route.Filters.Get(IrFeatures.RateLimit);
            string json;
            if (config is null)
            {
                json = DisabledJson;
            }
            else if (!_json.TryGetValue(config, out json!))
            {
                json = RateLimitConfigJson.Serialize(config);
                _json[config] = json;
            }

            if (!_packed.TryGetValue(json, out var packed))
            {
                packed = DynamicModuleFilters.PerRoute(RateLimitFilterContract.FilterName, json);
                _packed[json] = packed;
            }

            return packed;
        }
    }
}
