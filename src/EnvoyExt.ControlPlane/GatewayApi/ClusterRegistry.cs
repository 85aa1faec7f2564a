using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Builds one IrCluster per referenced Service port ("ns/svc/port") with its ready endpoints, once,
/// however many routes use it, with the TLS its BackendTLSPolicy asks for.
/// </summary>
internal sealed class ClusterRegistry(ResourceIndex index, BackendTlsPolicyResolver? backendTls = null)
{
    private readonly Dictionary<string, IrCluster> _clusters = new(StringComparer.Ordinal);

    public IrCluster? Get(string name) => _clusters.GetValueOrDefault(name);

    public string Register(Service service, ServicePort port, bool http2)
    {
        var name = $"{service.Metadata.Namespace}/{service.Metadata.Name}/{port.Port}";
        var protocol = http2 || port.AppProtocol is "kubernetes.io/h2c" or "grpc" or "h2c"
            ? IrUpstreamProtocol.Http2
            : IrUpstreamProtocol.Http1;
        if (_clusters.TryGetValue(name, out var existing))
        {
            // A Service port used by a GRPCRoute and an HTTPRoute speaks HTTP/2 to both: h2c is
            // what the gRPC side needs and what an h2c-capable backend serves anyway.
            if (protocol == IrUpstreamProtocol.Http2 && existing.Protocol != protocol)
            {
                _clusters[name] = existing with { Protocol = protocol };
            }

            return name;
        }

        // A policy that cannot be served leaves the cluster without endpoints: Envoy answers 503
        // instead of reaching the backend without the checks its owner asked for.
        var policy = backendTls?.For(service, port);
        var endpoints = policy is { Tls: null } ? [] : Endpoints(service, port);
        _clusters[name] = new IrCluster(name, endpoints, protocol, policy?.Tls, policy?.Policy);
        return name;
    }

    /// <summary>
    /// A Service port reached over the TLS its user asks for (an https JWKS URL), in a cluster of its
    /// own beside the port's plain one; <paramref name="owner"/> (the policy) keeps two users' TLS
    /// settings apart. A port that a BackendTLSPolicy covers gets that policy's cluster instead: the
    /// Service owner's TLS settings win, as for every other route to it.
    /// </summary>
    public string RegisterTls(Service service, ServicePort port, IrUpstreamTls tls, string owner)
    {
        if (backendTls?.For(service, port) is not null)
        {
            return Register(service, port, http2: false);
        }

        var name = $"{service.Metadata.Namespace}/{service.Metadata.Name}/{port.Port}/tls/{owner}";
        if (!_clusters.ContainsKey(name))
        {
            _clusters[name] = new IrCluster(name, Endpoints(service, port), IrUpstreamProtocol.Http1, tls);
        }

        return name;
    }

    /// <summary>
    /// Ready addresses of the Service's EndpointSlices for this port. The slice port is found by the
    /// Service port's name, as kube-proxy does; an unnamed Service port matches an unnamed slice port.
    /// </summary>
    private List<IrEndpoint> Endpoints(Service service, ServicePort port)
    {
        var result = new SortedSet<(string Address, int Port)>();
        foreach (var slice in index.SlicesOf(service.Metadata.Namespace, service.Metadata.Name))
        {
            var slicePort = slice.Ports.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""));
            if (slicePort is null)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints)
            {
                if (endpoint.Ready == false)
                {
                    continue;
                }

                foreach (var address in endpoint.Addresses)
                {
                    result.Add((address, slicePort.Port));
                }
            }
        }

        return result.Select(e => new IrEndpoint(e.Address, e.Port)).ToList();
    }
}
