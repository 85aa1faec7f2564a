using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Listener.TlsInspector.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// IR HTTP listener -> Envoy Listener with an HTTP connection manager fetching its routes over ADS.
/// A plain listener has one filter chain; an HTTPS listener has one per Gateway listener, chosen by
/// SNI (read by the TLS inspector), each terminating TLS with certificates fetched over SDS. With
/// several chains each one fetches its own route configuration (see <see cref="RouteTranslator"/>).
/// </summary>
internal static class ListenerTranslator
{
    public const string HcmFilterName = "envoy.filters.network.http_connection_manager";
    public const string RouterFilterName = "envoy.filters.http.router";
    public const string TlsInspectorName = "envoy.filters.listener.tls_inspector";
    public const string TlsTransportSocketName = "envoy.transport_sockets.tls";

    /// <param name="filters">The HTTP filter translators in chain order; <see cref="HttpFilterRegistry.Ordered"/> unless a test passes its own.</param>
    public static Listener Translate(IrHttpListener listener, IReadOnlyList<IHttpFilterTranslator>? filters = null)
    {
        var result = new Listener
        {
            Name = listener.Name,
            Address = new Address
            {
                SocketAddress = new SocketAddress { Address = listener.Address, PortValue = (uint)listener.Port },
            },
        };
        if (listener.TlsChains is null)
        {
            var chain = new FilterChain();
            chain.Filters.Add(ConnectionManager(listener, RouteConfigurationName(listener), filters));
            result.FilterChains.Add(chain);
            return result;
        }

        result.ListenerFilters.Add(new ListenerFilter { Name = TlsInspectorName, TypedConfig = Any.Pack(new TlsInspector()) });
        foreach (var tls in listener.TlsChains)
        {
            result.FilterChains.Add(TlsChain(tls, ConnectionManager(listener, RouteConfigurationName(listener, tls), filters)));
        }

        return result;
    }

    private static Filter ConnectionManager(IrHttpListener listener, string routeConfigurationName, IReadOnlyList<IHttpFilterTranslator>? filters)
    {
        var hcm = new HttpConnectionManager
        {
            CodecType = HttpConnectionManager.Types.CodecType.Auto,
            StatPrefix = StatPrefix(listener),
            // An edge proxy: the downstream peer is the client, which sourceCIDR rate limits rely on.
            UseRemoteAddress = true,
            Rds = new Rds
            {
                RouteConfigName = routeConfigurationName,
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
        return new Filter { Name = HcmFilterName, TypedConfig = Any.Pack(hcm) };
    }

    private static FilterChain TlsChain(IrTlsChain tls, Filter hcmFilter)
    {
        var chain = new FilterChain
        {
            Name = tls.Name,
            FilterChainMatch = new FilterChainMatch(),
            // HTTP/2 when the client offers it; the connection manager's codec is AUTO.
            TransportSocket = TerminatingTls(tls.SecretNames, ["h2", "http/1.1"], tls.ClientValidation),
        };
        // Envoy matches "*.example.com" as a wildcard server name, like the Gateway API hostname.
        if (tls.Hostname is not null)
        {
            chain.FilterChainMatch.ServerNames.Add(tls.Hostname);
        }

        chain.Filters.Add(hcmFilter);
        return chain;
    }

    /// <summary>
    /// A downstream TLS transport socket whose certificates are fetched over SDS (ADS), never inlined.
    /// With client validation, the CA bundle is fetched over SDS too, and a client certificate is
    /// required unless the Gateway allows the insecure fallback.
    /// </summary>
    public static TransportSocket TerminatingTls(IReadOnlyList<string> secretNames, IReadOnlyList<string> alpn, IrCaBundle? clientValidation)
    {
        var common = new CommonTlsContext();
        common.AlpnProtocols.AddRange(alpn);
        foreach (var secret in secretNames)
        {
            common.TlsCertificateSdsSecretConfigs.Add(new SdsSecretConfig { Name = secret, SdsConfig = AdsConfigSource.Create() });
        }

        var context = new DownstreamTlsContext { CommonTlsContext = common };
        if (clientValidation is not null)
        {
            common.ValidationContextSdsSecretConfig = new SdsSecretConfig { Name = clientValidation.Name, SdsConfig = AdsConfigSource.Create() };
            context.RequireClientCertificate = !clientValidation.AcceptUntrusted;
        }

        return new TransportSocket
        {
            Name = TlsTransportSocketName,
            TypedConfig = Any.Pack(context),
        };
    }

    /// <summary>The route configuration of a plain HTTP listener, or of an HTTPS listener with one chain: named like the listener.</summary>
    public static string RouteConfigurationName(IrHttpListener listener) => listener.Name;

    /// <summary>
    /// An HTTPS listener with several chains gives each chain its own route configuration
    /// ("&lt;listener&gt;/&lt;chain&gt;"), so the hostnames of the other chains can answer 421.
    /// </summary>
    public static string RouteConfigurationName(IrHttpListener listener, IrTlsChain chain) =>
        HasRouteConfigurationPerChain(listener) ? listener.Name + "/" + chain.Name : listener.Name;

    public static bool HasRouteConfigurationPerChain(IrHttpListener listener) => listener.TlsChains is { Count: > 1 };

    // Stats names cannot hold "/" usefully; "http-<port>" / "https-<port>" is unique per Envoy and readable.
    private static string StatPrefix(IrHttpListener listener) => (listener.TlsChains is null ? "http-" : "https-") + listener.Port;
}
