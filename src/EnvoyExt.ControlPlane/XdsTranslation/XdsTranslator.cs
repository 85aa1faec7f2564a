using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// IR -> xDS resources, one set per Gateway (one Envoy fleet). Pure and deterministic: the same IR
/// gives byte-identical resources, so versions (content hashes) only move on real change.
/// </summary>
public static class XdsTranslator
{
    /// <summary>Keyed by "&lt;namespace&gt;/&lt;gateway&gt;", ordinally sorted.</summary>
    public static SortedDictionary<string, GatewayXdsResources> Translate(IrSnapshot snapshot)
    {
        var result = new SortedDictionary<string, GatewayXdsResources>(StringComparer.Ordinal);
        foreach (var (key, gateway) in snapshot.Gateways)
        {
            result[key] = TranslateGateway(gateway);
        }
        return result;
    }

    public static GatewayXdsResources TranslateGateway(IrGateway gateway)
    {
        var clusters = new List<XdsResource>(gateway.Clusters.Count);
        var endpoints = new List<XdsResource>(gateway.Clusters.Count);
        foreach (var cluster in gateway.Clusters)
        {
            clusters.Add(new XdsResource(cluster.Name, ClusterTranslator.Translate(cluster)));
            endpoints.Add(new XdsResource(cluster.Name, ClusterTranslator.LoadAssignment(cluster)));
        }
        var listeners = new List<XdsResource>(gateway.HttpListeners.Count);
        var routes = new List<XdsResource>(gateway.HttpListeners.Count);
        foreach (var listener in gateway.HttpListeners)
        {
            listeners.Add(new XdsResource(listener.Name, ListenerTranslator.Translate(listener)));
            routes.Add(new XdsResource(ListenerTranslator.RouteConfigurationName(listener), RouteTranslator.Translate(listener)));
        }
        return new GatewayXdsResources(clusters, endpoints, listeners, routes);
    }
}
