using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
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
        // The consistency check reads listeners and route configurations as messages; the
        // resources keep only bytes, so the messages live until the check, then die with this call.
        var listenerMessages = new List<Listener>(gateway.HttpListeners.Count);
        var routeMessages = new List<RouteConfiguration>(gateway.HttpListeners.Count);
        foreach (var listener in gateway.HttpListeners)
        {
            var listenerMessage = ListenerTranslator.Translate(listener);
            listenerMessages.Add(listenerMessage);
            listeners.Add(new XdsResource(listener.Name, listenerMessage));
            foreach (var routeMessage in RouteTranslator.Translate(listener))
            {
                routeMessages.Add(routeMessage);
                routes.Add(new XdsResource(routeMessage.Name, routeMessage));
            }
        }
        foreach (var listener in gateway.TcpListeners ?? [])
        {
            var listenerMessage = TcpListenerTranslator.Translate(listener);
            listenerMessages.Add(listenerMessage);
            listeners.Add(new XdsResource(listener.Name, listenerMessage));
        }

        var secrets = (gateway.Secrets ?? []).Select(s => new XdsResource(s.Name, SecretTranslator.Translate(s)))
            .Concat((gateway.GenericSecrets ?? []).Select(s => new XdsResource(s.Name, SecretTranslator.Translate(s))))
            .Concat((gateway.CaBundles ?? []).Select(b => new XdsResource(b.Name, SecretTranslator.Translate(b))))
            .Concat((gateway.BackendValidations ?? []).Select(v => new XdsResource(v.Name, SecretTranslator.Translate(v))))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new GatewayXdsResources(clusters, endpoints, listeners, routes, secrets,
            set => XdsConsistency.Problems(set, listenerMessages, routeMessages));
    }
}
