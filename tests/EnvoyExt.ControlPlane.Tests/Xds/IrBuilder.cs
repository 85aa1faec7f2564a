using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Terse constructors for hand-built IR in translator and server tests.</summary>
internal static class IrBuilder
{
    public static IrSnapshot Snapshot(params IrGateway[] gateways) =>
        new(new SortedDictionary<string, IrGateway>(gateways.ToDictionary(g => $"{g.Namespace}/{g.Name}"), StringComparer.Ordinal));

    public static IrGateway Gateway(string ns, string name, IrHttpListener[] listeners, params IrCluster[] clusters) =>
        new(ns, name, listeners, clusters);

    public static IrHttpListener Listener(string name, int port, RateLimitConfig? rateLimit, params IrVirtualHost[] vhosts) =>
        new(name, "0.0.0.0", port, vhosts, IrFilterFeatures.None.With(IrFeatures.RateLimit, rateLimit));

    public static IrVirtualHost VHost(string name, string[] domains, params IrRoute[] routes) => new(name, domains, routes);

    public static IrRouteMatch Match(IrPathMatch? path = null, IrHeaderMatch[]? headers = null, IrQueryMatch[]? query = null, string? method = null) =>
        new(path, headers ?? [], query ?? [], method, null);

    public static IrPathMatch Prefix(string value) => new(PathMatchKind.Prefix, value);

    public static IrRoute Route(
        string name,
        IrRouteMatch match,
        IrRouteAction action,
        IrHeaderMutation[]? requestHeaders = null,
        IrHeaderMutation[]? responseHeaders = null,
        IrMirror[]? mirrors = null,
        RateLimitConfig? rateLimit = null) =>
        new(name, match, action, requestHeaders ?? [], responseHeaders ?? [], mirrors ?? [], IrFilterFeatures.None.With(IrFeatures.RateLimit, rateLimit));

    public static IrForward Forward(params (string Cluster, int Weight)[] backends) =>
        new(backends.Select(b => new IrWeightedCluster(b.Cluster, b.Weight)).ToList(), null);

    public static IrCluster Cluster(string name, params (string Address, int Port)[] endpoints) =>
        new(name, endpoints.Select(e => new IrEndpoint(e.Address, e.Port)).ToList(), IrUpstreamProtocol.Http1);

    public static RateLimitConfig Limit(string name, long requests, RateLimitUnit unit) => new()
    {
        Name = name,
        Rules = [new RateLimitRule { Name = "all", Limit = new RateLimit(requests, unit) }],
    };

    /// <summary>One gateway, one listener on 8080, one "*" vhost holding the routes, clusters as given.</summary>
    public static IrSnapshot SimpleGateway(IrRoute[] routes, IrCluster[] clusters, RateLimitConfig? listenerLimit = null) =>
        Snapshot(Gateway("default", "gw",
            [Listener("default/gw/http", 8080, listenerLimit, VHost("default/gw/http/*", ["*"], routes))],
            clusters));
}
