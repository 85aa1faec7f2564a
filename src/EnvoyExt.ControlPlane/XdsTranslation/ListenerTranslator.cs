using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>IR HTTP listener -> Envoy Listener with one HTTP connection manager fetching its routes over ADS.</summary>
internal static class ListenerTranslator
{
    public const string HcmFilterName = "envoy.filters.network.http_connection_manager";
    public const string RouterFilterName = "envoy.filters.http.router";

    /// <param name="filters">The HTTP filter translators in chain order; <see cref="HttpFilterRegistry.Ordered"/> unless a test passes its own.</param>
    public static Listener Translate(IrHttpListener listener, IReadOnlyList<IHttpFilterTranslator>? filters = null)
    {
        var hcm = new HttpConnectionManager
        {
            CodecType = HttpConnectionManager.Types.CodecType.Auto,
            StatPrefix = StatPrefix(listener),
            // An edge proxy: the downstream peer is the client, which sourceCIDR rate limits rely on.
            UseRemoteAddress = true,
            Rds = new Rds
            {
                RouteConfigName = RouteConfigurationName(listener),
                ConfigSource = AdsConfigSource.Create(),
            },
        };
        foreach (var filter in filters ?? HttpFilterRegistry.Ordered)
        {
            if (filter.IsNeeded(listener))
            {
                hcm.HttpFilters.Add(filter.ListenerFilter(listener));
            }
        }
        hcm.HttpFilters.Add(new HttpFilter { Name = RouterFilterName, TypedConfig = Any.Pack(new Router()) });

        var chain = new FilterChain();
        chain.Filters.Add(new Filter { Name = HcmFilterName, TypedConfig = Any.Pack(hcm) });
        var result = new Listener
        {
            Name = listener.Name,
            Address = new Address
            {
                SocketAddress = new SocketAddress { Address = listener.Address, PortValue = (uint)listener.Port },
            },
        };
        result.FilterChains.Add(chain);
        return result;
    }

    /// <summary>One route configuration per listener, named like it.</summary>
    public static string RouteConfigurationName(IrHttpListener listener) => listener.Name;

    // Stats names cannot hold "/" usefully; "http-<port>" is unique per Envoy and readable.
    private static string StatPrefix(IrHttpListener listener) => $"http-{listener.Port}";
}
