using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Extensions.Upstreams.Http.V3;
using EnvoyExt.ControlPlane.Ir;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>IR cluster -> EDS Cluster plus its ClusterLoadAssignment (same name).</summary>
internal static class ClusterTranslator
{
    public const string HttpProtocolOptionsKey = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private static readonly Duration ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10));

    public static Cluster Translate(IrCluster cluster)
    {
        var result = new Cluster
        {
            Name = cluster.Name,
            Type = Cluster.Types.DiscoveryType.Eds,
            // service_name left empty: the ClusterLoadAssignment carries the cluster's own name.
            EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = AdsConfigSource.Create() },
            ConnectTimeout = ConnectTimeout,
            LbPolicy = Cluster.Types.LbPolicy.RoundRobin,
        };
        if (cluster.CircuitBreakers is { } breakers)
        {
            result.CircuitBreakers = CircuitBreakers(breakers);
        }

        if (cluster.Protocol == IrUpstreamProtocol.Http2)
        {
            var options = new HttpProtocolOptions
            {
                ExplicitHttpConfig = new HttpProtocolOptions.Types.ExplicitHttpConfig
                {
                    Http2ProtocolOptions = new Http2ProtocolOptions(),
                },
            };
            result.TypedExtensionProtocolOptions.Add(HttpProtocolOptionsKey, Any.Pack(options));
        }

        if (cluster.Tls is { } tls)
        {
            result.TransportSocket = UpstreamTls(tls, cluster.Protocol);
        }
        return result;
    }

    /// <summary>One thresholds entry for the default priority; an absent value keeps Envoy's default.</summary>
    private static CircuitBreakers CircuitBreakers(IrCircuitBreakers breakers)
    {
        var thresholds = new CircuitBreakers.Types.Thresholds { Priority = RoutingPriority.Default };
        if (breakers.MaxConnections is { } connections)
        {
            thresholds.MaxConnections = (uint)connections;
        }

        if (breakers.MaxPendingRequests is { } pending)
        {
            thresholds.MaxPendingRequests = (uint)pending;
        }

        if (breakers.MaxRequests is { } requests)
        {
            thresholds.MaxRequests = (uint)requests;
        }

        if (breakers.MaxRetries is { } retries)
        {
            thresholds.MaxRetries = (uint)retries;
        }

        var result = new CircuitBreakers();
        result.Thresholds.Add(thresholds);
        return result;
    }

    /// <summary>
    /// TLS to the backend: the policy's hostname as SNI, the certificate checked against the
    /// validation context fetched over SDS (trust and the names it must carry). An HTTP/2 cluster
    /// offers h2 in ALPN, as TLS backends negotiate it instead of speaking h2c.
    /// </summary>
    private static TransportSocket UpstreamTls(IrUpstreamTls tls, IrUpstreamProtocol protocol)
    {
        var common = new CommonTlsContext
        {
            ValidationContextSdsSecretConfig = new SdsSecretConfig { Name = tls.Validation.Name, SdsConfig = AdsConfigSource.Create() },
        };
        if (protocol == IrUpstreamProtocol.Http2)
        {
            common.AlpnProtocols.Add("h2");
        }

        return new TransportSocket
        {
            Name = ListenerTranslator.TlsTransportSocketName,
            TypedConfig = Any.Pack(new UpstreamTlsContext { CommonTlsContext = common, Sni = tls.Sni }),
        };
    }

    public static ClusterLoadAssignment LoadAssignment(IrCluster cluster)
    {
        var assignment = new ClusterLoadAssignment { ClusterName = cluster.Name };
        // One locality holding every endpoint; an empty list is valid and makes Envoy answer 503.
        var locality = new LocalityLbEndpoints();
        foreach (var endpoint in cluster.Endpoints)
        {
            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Envoy.Config.Endpoint.V3.Endpoint
                {
                    Address = new Address
                    {
                        SocketAddress = new SocketAddress { Address = endpoint.Address, PortValue = (uint)endpoint.Port },
                    },
                },
            });
        }
        if (locality.LbEndpoints.Count > 0)
        {
            assignment.Endpoints.Add(locality);
        }
        return assignment;
    }
}
