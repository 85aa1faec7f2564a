using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// One of our traffic-shaping filters (fault, bandwidth_limit, concurrency_limit), configured by the
/// route's <see cref="IrFeatures.Traffic"/> feature. The HCM entry is disabled by default
/// (<c>disabled: true</c>) and each route with a document of its own enables it through its
/// typed_per_filter_config, so routes without a TrafficPolicy section never run the filter at all.
/// The listener-level document is a pass-through placeholder the module loads but never applies.
/// </summary>
internal abstract class TrafficFilterTranslator<TConfig> : IHttpFilterTranslator
    where TConfig : class
{
    public abstract string HttpFilterName { get; }

    /// <summary>The filter_name the module dispatches on.</summary>
    protected abstract string ModuleFilterName { get; }

    /// <summary>A valid document that lets every request through (the disabled HCM entry's config).</summary>
    protected abstract string PlaceholderJson { get; }

    /// <summary>The filter's section of a route's traffic feature.</summary>
    protected abstract TConfig? Section(IrTraffic traffic);

    protected abstract string Serialize(TConfig config);

    public bool IsNeeded(IrHttpListener listener) =>
        listener.VirtualHosts.Any(vh => vh.Routes.Any(r => r.Filters.Get(IrFeatures.Traffic) is { } t && Section(t) is not null));

    public HttpFilter ListenerFilter(IrHttpListener listener)
    {
        var filter = DynamicModuleFilters.Listener(HttpFilterName, ModuleFilterName, PlaceholderJson);
        filter.Disabled = true;
        return filter;
    }

    public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new PerRouteCache(this);

    /// <summary>Each distinct document serialized and packed once per listener.</summary>
    private sealed class PerRouteCache(TrafficFilterTranslator<TConfig> owner) : IPerRouteFilterConfig
    {
        private readonly Dictionary<TConfig, Any> _packed = new(ReferenceEqualityComparer.Instance);

        public Any? For(IrRoute route)
        {
            if (route.Filters.Get(IrFeatures.Traffic) is not { } traffic || owner.Section(traffic) is not { } config)
            {
                return null;
            }

            if (!_packed.TryGetValue(config, out var packed))
            {
                packed = DynamicModuleFilters.PerRoute(owner.ModuleFilterName, owner.Serialize(config));
                _packed[config] = packed;
            }

            return packed;
        }
    }
}
