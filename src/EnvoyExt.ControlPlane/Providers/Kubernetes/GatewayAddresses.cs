using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>One Gateway status address (Gateway API: type IPAddress or Hostname).</summary>
public sealed record GatewayAddress(string Type, string Value);

/// <summary>
/// Gateway <c>status.addresses</c> from the Service in front of the Envoy pods serving it. That
/// Service names its Gateway with two labels (deploy/envoy/envoy.yaml sets them):
/// <see cref="NameLabel"/> and <see cref="NamespaceLabel"/> (absent: the Service's own namespace).
/// A LoadBalancer Service with ingress gives its ingress IPs and hostnames; any other (or one still
/// waiting for its load balancer) gives its cluster IPs.
/// </summary>
public static class GatewayAddresses
{
    public const string NameLabel = "gateway.envoyext.io/gateway-name";
    public const string NamespaceLabel = "gateway.envoyext.io/gateway-namespace";

    /// <summary>Gateway API's maxItems for status.addresses.</summary>
    public const int MaxAddresses = 16;

    /// <summary>Addresses per Gateway key ("namespace/name"); Gateways without a labelled Service are absent.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<GatewayAddress>> From(IEnumerable<Service> services)
    {
        var found = new SortedDictionary<string, List<(string Service, GatewayAddress Address)>>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var labels = service.Metadata.Labels;
            if (!labels.TryGetValue(NameLabel, out var gateway) || gateway.Length == 0)
            {
                continue;
            }

            var ns = labels.TryGetValue(NamespaceLabel, out var given) && given.Length > 0 ? given : service.Metadata.Namespace;
            var key = ns + "/" + gateway;
            if (!found.TryGetValue(key, out var list))
            {
                found[key] = list = [];
            }

            foreach (var address in Of(service))
            {
                list.Add((service.Metadata.Key, address));
            }
        }

        return found.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<GatewayAddress>)[.. p.Value.OrderBy(a => a.Service, StringComparer.Ordinal).Select(a => a.Address).Distinct().Take(MaxAddresses)],
            StringComparer.Ordinal);
    }

    private static IEnumerable<GatewayAddress> Of(Service service)
    {
        var ingress = service.Type == "LoadBalancer"
            ? service.LoadBalancerIngress.SelectMany(i => new[]
            {
                i.Ip is { Length: > 0 } ip ? new GatewayAddress("IPAddress", ip) : null,
                i.Hostname is { Length: > 0 } host ? new GatewayAddress("Hostname", host) : null,
            }).OfType<GatewayAddress>().ToList()
            : [];
        return ingress.Count > 0 ? ingress : service.ClusterIps.Select(ip => new GatewayAddress("IPAddress", ip));
    }
}
