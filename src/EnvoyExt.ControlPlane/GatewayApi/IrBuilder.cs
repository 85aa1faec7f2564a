using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Assembles one Gateway's IR from its ready listeners and the routes attached to them.
///
/// Listeners sharing a port become one IrHttpListener. Each hostname served on the port becomes a
/// virtual host owned by the most specific listener whose hostname covers it (an exact listener
/// hostname beats a wildcard, which beats none), so a request reaches only that listener's routes,
/// as the spec requires. Within a virtual host, routes from more specific route hostnames come
/// first, then Gateway API match precedence.
/// </summary>
internal sealed class IrBuilder(ClusterRegistry clusters, PolicyEngine policies, IReadOnlyDictionary<string, ClassParameters> gatewayParameters)
{
    public IrGateway Build(string ns, string name, IReadOnlyList<ListenerState> listeners, IReadOnlyList<Attachment> attachments)
    {
        var gatewayKey = ns + "/" + name;
        var httpListeners = new List<IrHttpListener>();
        var tcpListeners = new List<IrTcpListener>();
        foreach (var port in listeners.Where(l => l.Ready).GroupBy(l => l.Listener.Port).OrderBy(g => g.Key))
        {
            // Listeners on one port share a protocol (conflicts were left out by the validator).
            if (port.First().Listener.Protocol is "TLS" or "TCP")
            {
                var streams = port.OrderBy(l => l.Index).ToList();
                var stream = StreamListener($"{gatewayKey}/{streams[0].Listener.Name}", EnvoyPorts.For(port.Key), streams,
                    attachments.Where(a => streams.Contains(a.Listener)).ToList());
                // Envoy rejects a listener without filter chains; with no route there is nothing to serve.
                if (stream.Chains.Count > 0)
                {
                    tcpListeners.Add(stream);
                }

                continue;
            }

            var onPort = port.OrderBy(l => l.Index).ToList();
            var irName = $"{gatewayKey}/{onPort[0].Listener.Name}";
            var portAttachments = attachments.Where(a => onPort.Contains(a.Listener)).ToList();
            var virtualHosts = VirtualHosts(gatewayKey, irName, onPort, portAttachments);

            // Every route carries its own effective features, so the listener-level ones only matter for
            // requests no route matches; the first listener on the port with a policy provides them.
            var listenerFeatures = onPort.Select(l => policies.ForListener(gatewayKey, l.Listener.Name)).FirstOrDefault(f => !f.IsEmpty)
                ?? IrFilterFeatures.None;
            (listenerFeatures, virtualHosts) = policies.CheckListener(irName, listenerFeatures, virtualHosts);
            virtualHosts = LimitAuthInstances(listenerFeatures, virtualHosts);
            if (gatewayParameters.GetValueOrDefault(gatewayKey)?.RateLimit is { } backend && HasGlobalRule(listenerFeatures, virtualHosts))
            {
                // One Redis connection per listener, used by its own and its routes' Global rules.
                listenerFeatures = listenerFeatures.With(IrFeatures.RateLimitBackend, backend);
            }

            var tlsChains = onPort[0].Listener.Protocol == "HTTPS"
                ? onPort.Select(l => new IrTlsChain(l.Listener.Hostname, l.Certificates.Select(c => c.Name).ToList(), l.ClientValidation)).ToList()
                : null;
            httpListeners.Add(new IrHttpListener(irName, "0.0.0.0", EnvoyPorts.For(port.Key), virtualHosts, listenerFeatures, tlsChains));
        }

        var clusterNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in httpListeners.SelectMany(l => l.VirtualHosts).SelectMany(v => v.Routes))
        {
            if (route.Action is IrForward forward)
            {
                clusterNames.UnionWith(forward.Backends.Select(b => b.ClusterName));
            }

            clusterNames.UnionWith(route.Mirrors.Select(m => m.ClusterName));
        }

        clusterNames.UnionWith(tcpListeners.SelectMany(l => l.Chains).SelectMany(c => c.Backends).Select(b => b.ClusterName));

        var dependencies = httpListeners.Select(l => l.Filters)
            .Concat(httpListeners.SelectMany(l => l.VirtualHosts).SelectMany(v => v.Routes).Select(r => r.Filters))
            .SelectMany(f => f.Values)
            .OfType<IIrFeatureDependencies>()
            .Distinct(ReferenceEqualityComparer.Instance)
            .Cast<IIrFeatureDependencies>()
            .ToList();
        clusterNames.UnionWith(dependencies.SelectMany(d => d.ClusterNames));
        var genericSecrets = dependencies.SelectMany(d => d.GenericSecrets)
            .DistinctBy(s => s.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var secrets = listeners.Where(l => l.Ready).SelectMany(l => l.Certificates)
            .DistinctBy(s => s.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var caBundles = listeners.Where(l => l.Ready && l.ClientValidation is not null).Select(l => l.ClientValidation!)
            .DistinctBy(b => b.Name)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        var breakers = CircuitBreakersByCluster(httpListeners);
        var gatewayClusters = clusterNames
            .Select(n => clusters.Get(n)!)
            .Select(c => breakers.TryGetValue(c.Name, out var b) ? c with { CircuitBreakers = b } : c)
            .ToList();
        var backendValidations = gatewayClusters.Where(c => c.Tls is not null).Select(c => c.Tls!.Validation)
            .DistinctBy(v => v.Name)
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
        return new IrGateway(ns, name, httpListeners, gatewayClusters, secrets.Count == 0 ? null : secrets,
            tcpListeners.Count == 0 ? null : tcpListeners, caBundles.Count == 0 ? null : caBundles,
            genericSecrets.Count == 0 ? null : genericSecrets, backendValidations.Count == 0 ? null : backendValidations);
    }

    /// <summary>
    /// Circuit breakers are a cluster's, but TrafficPolicies attach to routes: each cluster a route
    /// forwards to gets the route's thresholds, and a cluster shared by routes asking for different
    /// ones gets the strictest value of each (<see cref="IrCircuitBreakers.Strictest"/>).
    /// </summary>
    private static Dictionary<string, IrCircuitBreakers> CircuitBreakersByCluster(List<IrHttpListener> httpListeners)
    {
        var result = new Dictionary<string, IrCircuitBreakers>(StringComparer.Ordinal);
        foreach (var route in httpListeners.SelectMany(l => l.VirtualHosts).SelectMany(v => v.Routes))
        {
            if (route.Action is not IrForward forward || route.Filters.Get(IrFeatures.Traffic)?.CircuitBreakers is not { } breakers)
            {
                continue;
            }

            foreach (var backend in forward.Backends)
            {
                result[backend.ClusterName] = result.TryGetValue(backend.ClusterName, out var seen) ? seen.Strictest(breakers) : breakers;
            }
        }

        return result;
    }

    /// <summary>
    /// Each distinct auth document of a listener is one auth filter instance in its chain, at most
    /// <see cref="IrAuthInstances.Max"/>; a route whose document would need one more answers 500, so it
    /// is never served without its check. The listener's own document always has an instance.
    /// </summary>
    private static List<IrVirtualHost> LimitAuthInstances(IrFilterFeatures listenerFeatures, List<IrVirtualHost> hosts)
    {
        var documents = IrAuthInstances.Distinct(listenerFeatures, hosts.SelectMany(v => v.Routes));
        if (documents.Count <= IrAuthInstances.Max)
        {
            return hosts;
        }

        var served = documents.Take(IrAuthInstances.Max).ToHashSet(StringComparer.Ordinal);
        return hosts.Select(v => v with
        {
            Routes = v.Routes.Select(r => r.Filters.Get(IrFeatures.Auth) is { } auth && !served.Contains(IrAuthInstances.JsonOf(auth))
                ? r with { Action = new IrDirectResponse(500, null), Filters = r.Filters.With(IrFeatures.Auth, null) }
                : r).ToList(),
        }).ToList();
    }

    private static bool HasGlobalRule(IrFilterFeatures listener, List<IrVirtualHost> virtualHosts) =>
        IsGlobal(listener.Get(IrFeatures.RateLimit)) ||
        virtualHosts.SelectMany(v => v.Routes).Any(r => IsGlobal(r.Filters.Get(IrFeatures.RateLimit)));

    private static bool IsGlobal(Filters.RateLimit.Config.RateLimitConfig? config) =>
        config?.Rules?.Exists(r => r.Type == Filters.RateLimit.Config.RateLimitType.Global) == true;

    /// <summary>
    /// A TLS (passthrough or terminated) or TCP listener. TLS: each server name goes to the oldest route (then
    /// namespace/name) that claims it, as Gateway API conflict resolution says; the chains are
    /// ordered most specific name first. TCP: the oldest attached route takes every connection.
    /// </summary>
    private static IrTcpListener StreamListener(string irName, int port, List<ListenerState> onPort, List<Attachment> attachments)
    {
        var ordered = attachments
            .Where(a => a.Route.Entries.Count > 0)
            .OrderBy(a => a.Route.Entries[0].Order)
            .ToList();
        var chains = new List<IrTcpChain>();
        if (onPort[0].Listener.Protocol == "TCP")
        {
            if (ordered.Count > 0)
            {
                chains.Add(Chain(irName + "/*", null, ordered[0]));
            }

            return new IrTcpListener(irName, "0.0.0.0", port, false, chains);
        }

        var owners = new Dictionary<string, Attachment>(StringComparer.Ordinal);
        foreach (var attachment in ordered)
        {
            foreach (var host in attachment.Hostnames)
            {
                owners.TryAdd(host, attachment);
            }
        }

        foreach (var (host, owner) in owners.OrderByDescending(o => Hostnames.Specificity(o.Key)).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            chains.Add(Chain($"{irName}/{host}", host == Hostnames.Any ? null : [host], owner));
        }

        return new IrTcpListener(irName, "0.0.0.0", port, true, chains);
    }

    private static IrTcpChain Chain(string name, IReadOnlyList<string>? serverNames, Attachment owner)
    {
        var route = owner.Route.Entries[0].Route;
        // A Terminate listener ends TLS with the certificates of the Gateway listener the route attached to.
        var secrets = GatewayValidator.Terminates(owner.Listener.Listener) ? owner.Listener.Certificates.Select(c => c.Name).ToList() : null;
        return new IrTcpChain(name, serverNames, route.Name, ((IrForward)route.Action).Backends, secrets, secrets is null ? null : owner.Listener.ClientValidation);
    }

    private List<IrVirtualHost> VirtualHosts(string gatewayKey, string irName, List<ListenerState> onPort, List<Attachment> attachments)
    {
        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in onPort)
        {
            domains.Add(listener.Listener.Hostname ?? Hostnames.Any);
        }

        // Index route hostnames so each domain looks only at the attachments that can cover it:
        // the same name, a wildcard above it, or "*". A scan of every attachment per domain would
        // be quadratic with thousands of routes on thousands of hostnames.
        var exact = new Dictionary<string, List<Attachment>>(StringComparer.Ordinal);
        var wildcards = new List<(string Host, Attachment From)>();
        var any = new List<Attachment>();
        foreach (var attachment in attachments)
        {
            foreach (var host in attachment.Hostnames)
            {
                domains.Add(host);
                if (host == Hostnames.Any)
                {
                    any.Add(attachment);
                }
                else
                {
                    if (!exact.TryGetValue(host, out var list))
                    {
                        exact[host] = list = [];
                    }

                    list.Add(attachment);
                    if (Hostnames.IsWildcard(host))
                    {
                        wildcards.Add((host, attachment));
                    }
                }
            }
        }

        var result = new List<IrVirtualHost>();
        foreach (var domain in domains.OrderByDescending(Hostnames.Specificity).ThenBy(d => d, StringComparer.Ordinal))
        {
            var owner = onPort
                .Where(l => Hostnames.Covers(l.Listener.Hostname, domain))
                .OrderByDescending(l => Hostnames.Specificity(l.Listener.Hostname))
                .FirstOrDefault();
            if (owner is null)
            {
                continue;
            }

            // For each attachment of the owning listener, the most specific of its hostnames that covers the domain.
            var best = new Dictionary<Attachment, int>(ReferenceEqualityComparer.Instance);
            void Offer(Attachment from, string host)
            {
                if (from.Listener != owner)
                {
                    return;
                }

                var specificity = Hostnames.Specificity(host);
                if (!best.TryGetValue(from, out var current) || current < specificity)
                {
                    best[from] = specificity;
                }
            }

            foreach (var from in exact.GetValueOrDefault(domain) ?? [])
            {
                Offer(from, domain);
            }

            foreach (var (host, from) in wildcards)
            {
                if (host != domain && Hostnames.Covers(host, domain))
                {
                    Offer(from, host);
                }
            }

            foreach (var from in any)
            {
                Offer(from, Hostnames.Any);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var routes = best
                .SelectMany(kv => kv.Key.Route.Entries.Select(e => (HostSpecificity: kv.Value, Entry: e, From: kv.Key)))
                .OrderByDescending(c => c.HostSpecificity)
                .ThenBy(c => c.Entry.Order)
                .Where(c => seen.Add(c.Entry.Route.Name))
                .Select(c => WithPolicies(gatewayKey, owner, c.From, c.Entry))
                .ToList();
            var chain = owner.Listener.Protocol == "HTTPS" ? owner.Listener.Hostname ?? Hostnames.Any : null;
            result.Add(new IrVirtualHost($"{irName}/{domain}", [domain], routes, chain));
        }

        return result;
    }

    private IrRoute WithPolicies(string gatewayKey, ListenerState listener, Attachment from, RouteEntry entry)
    {
        var route = from.Route.Resource;
        var place = new PolicyPlace(gatewayKey, listener.Listener.Name, route.Kind, route.Metadata.Key, entry.RuleName);
        var features = policies.ForRoute(entry.Route.Filters, place, entry.Route.Name);
        var ir = ReferenceEquals(features, entry.Route.Filters) ? entry.Route : entry.Route with { Filters = features };
        return ir.Action is IrRedirect redirect && RedirectPort(redirect, listener.Listener) is var port && port != redirect.Port
            ? ir with { Action = redirect with { Port = port } }
            : ir;
    }

    /// <summary>
    /// The port a redirect names in its Location, per listener (Gateway API RequestRedirect): the
    /// filter's port, else the well-known port of the filter's scheme, else the listener's port;
    /// null when that is the default port of the resulting scheme (80 for http, 443 for https),
    /// which the Location then leaves out.
    /// </summary>
    internal static int? RedirectPort(IrRedirect redirect, Resources.Listener listener)
    {
        var scheme = redirect.Scheme ?? (listener.Protocol == "HTTPS" ? "https" : "http");
        var port = redirect.Port ?? redirect.Scheme switch
        {
            "http" => 80,
            "https" => 443,
            _ => listener.Port,
        };
        return (scheme, port) is ("http", 80) or ("https", 443) ? null : port;
    }
}
