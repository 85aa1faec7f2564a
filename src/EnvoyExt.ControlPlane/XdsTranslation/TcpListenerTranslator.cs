using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Listener.TlsInspector.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using EnvoyExt.ControlPlane.Ir;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// IR TLS / TCP listener -> Envoy Listener whose filter chains each run a TCP proxy to the route's
/// weighted clusters. TLS listeners add the TLS inspector so chains can match the SNI; a passthrough
/// chain forwards the TLS stream untouched, a terminating chain ends TLS with certificates fetched
/// over SDS (no ALPN: the bytes inside are opaque to Envoy) and forwards the plain stream.
/// </summary>
internal static class TcpListenerTranslator
{
    public const string TcpProxyName = "envoy.filters.network.tcp_proxy";

    public static Listener Translate(IrTcpListener listener)
    {
        var result = new Listener
        {
            Name = listener.Name,
            Address = new Address
            {
                SocketAddress = new SocketAddress { Address = listener.Address, PortValue = (uint)listener.Port },
            },
        };
        if (listener.InspectsTls)
        {
            result.ListenerFilters.Add(new ListenerFilter { Name = ListenerTranslator.TlsInspectorName, TypedConfig = Any.Pack(new TlsInspector()) });
        }

        foreach (var chain in listener.Chains)
        {
            var filterChain = new FilterChain { Name = chain.Name };
            if (chain.ServerNames is not null)
            {
                filterChain.FilterChainMatch = new FilterChainMatch();
                filterChain.FilterChainMatch.ServerNames.AddRange(chain.ServerNames);
            }

            if (chain.SecretNames is not null)
            {
                filterChain.TransportSocket = ListenerTranslator.TerminatingTls(chain.SecretNames, [], chain.ClientValidation);
            }

            filterChain.Filters.Add(new Filter { Name = TcpProxyName, TypedConfig = Any.Pack(Proxy(listener, chain)) });
            result.FilterChains.Add(filterChain);
        }

        return result;
    }

    private static TcpProxy Proxy(IrTcpListener listener, IrTcpChain chain)
    {
        // Stats names cannot hold "/" usefully; "tls-<port>" / "tcp-<port>" is unique per Envoy.
        var proxy = new TcpProxy { StatPrefix = (listener.InspectsTls ? "tls-" : "tcp-") + listener.Port };
        if (chain.Backends.Count == 1)
        {
            proxy.Cluster = chain.Backends[0].ClusterName;
            return proxy;
        }

        proxy.WeightedClusters = new TcpProxy.Types.WeightedCluster();
        foreach (var backend in chain.Backends)
        {
            proxy.WeightedClusters.Clusters.Add(new TcpProxy.Types.WeightedCluster.Types.ClusterWeight { Name = backend.ClusterName, Weight = (uint)backend.Weight });
        }

        return proxy;
    }
}
