using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.ExtAuth.Config;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

/// <summary>
/// Our module's ext_auth filter on a listener's HCM and its per-route configs. A listener without a
/// listener-wide check gets the disabled document, and so does each of its routes without a check of its
/// own; under a listener-wide check, a route without a document of its own keeps the listener's.
/// </summary>
internal sealed class ExtAuthFilterTranslator : IHttpFilterTranslator
{
    /// <summary>The HCM filter name; typed_per_filter_config entries use the same key.</summary>
    public const string FilterName = "envoyext.ext_auth";

    private static readonly string DisabledJson = ExtAuthConfigJson.Serialize(ExtAuthConfig.DisabledForRoute());

    public string HttpFilterName => FilterName;

    public bool IsNeeded(IrHttpListener listener) =>
        listener.Filters.Get(IrFeatures.ExtAuth) is not null ||
        listener.VirtualHosts.Any(vh => vh.Routes.Any(r => r.Filters.Get(IrFeatures.ExtAuth) is not null));

    public HttpFilter ListenerFilter(IrHttpListener listener)
    {
        var config = listener.Filters.Get(IrFeatures.ExtAuth);
        var json = config is null ? DisabledJson : ExtAuthConfigJson.Serialize(config.Config);
        return DynamicModuleFilters.Listener(FilterName, ExtAuthFilterContract.FilterName, json);
    }

    public IPerRouteFilterConfig PerRoute(IrHttpListener listener) => new PerRouteCache(listener.Filters.Get(IrFeatures.ExtAuth) is not null);

    /// <summary>Each distinct route document serialized and packed once per listener.</summary>
    private sealed class PerRouteCache(bool listenerChecks) : IPerRouteFilterConfig
    {
        private readonly Dictionary<IrExtAuth, Any> _packed = new(ReferenceEqualityComparer.Instance);
        private Any? _disabled;

        public Any? For(IrRoute route)
        {
            var config = route.Filters.Get(IrFeatures.ExtAuth);
            if (config is null)
            {
                return listenerChecks ? null : _disabled ??= DynamicModuleFilters.PerRoute(ExtAuthFilterContract.FilterName, DisabledJson);
            }

            if (!_packed.TryGetValue(config, out var packed))
            {
                packed = DynamicModuleFilters.PerRoute(ExtAuthFilterContract.FilterName, ExtAuthConfigJson.Serialize(config.Config));
                _packed[config] = packed;
            }

            return packed;
        }
    }
}
