using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// HTTPS listeners sharing a port: a request whose Host belongs to another listener than the one
/// whose filter chain accepted the connection (SNI) gets 421; a Host with a port is routed by its
/// name. The test picks the filter chain and the virtual host the way Envoy does, on the resources
/// translated from the `https` golden case (www.example.com and *.example.org on port 8443).
/// </summary>
public sealed class MisdirectedRequestTests
{
    private static readonly GatewayXdsResources Resources = Translate();

    [Theory]
    [InlineData("www.example.com", "www.example.com", "route")]
    [InlineData("www.example.com", "www.example.com:8443", "route")]
    [InlineData("a.example.org", "b.example.org", "route")]
    [InlineData("a.example.org", "b.example.org:443", "route")]
    [InlineData("www.example.com", "a.example.org", "421")]
    [InlineData("www.example.com", "a.example.org:8443", "421")]
    [InlineData("a.example.org", "www.example.com", "421")]
    [InlineData("www.example.com", "unknown.example.net", "404")]
    public void Request_reaches_its_routes_only_through_its_own_listener(string sni, string host, string expected)
    {
        var listener = (Listener)Resources.Listeners.Single().Message;
        var chain = listener.FilterChains.Single(c => c.FilterChainMatch.ServerNames.Any(n => ServerNameMatches(n, sni)));
        var hcm = chain.Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
        var routes = (RouteConfiguration)Resources.Routes.Single(r => r.Name == hcm.Rds.RouteConfigName).Message;

        var vhost = SelectVirtualHost(routes, host);
        var outcome = vhost is null ? "404"
            : vhost.Routes[0].ActionCase == Route.ActionOneofCase.DirectResponse ? vhost.Routes[0].DirectResponse.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "route";
        Assert.Equal(expected, outcome);
    }

    [Fact]
    public void Every_chain_has_its_own_route_configuration_and_all_ignore_the_port()
    {
        var listener = (Listener)Resources.Listeners.Single().Message;
        var names = listener.FilterChains
            .Select(c => c.Filters.Single().TypedConfig.Unpack<HttpConnectionManager>().Rds.RouteConfigName)
            .ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(names.Order(StringComparer.Ordinal), Resources.Routes.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(Resources.Routes, r => Assert.True(((RouteConfiguration)r.Message).IgnorePortInHostMatching));
        Assert.Empty(Resources.Problems);
    }

    private static GatewayXdsResources Translate()
    {
        var input = StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.XdsTestData, "https", "input"));
        return XdsTranslator.Translate(GatewayApiTranslator.Translate(input).Ir)["default/gw"];
    }

    private static bool ServerNameMatches(string pattern, string sni) =>
        pattern == sni || (pattern.StartsWith("*.", StringComparison.Ordinal) && sni.EndsWith(pattern[1..], StringComparison.Ordinal));

    /// <summary>Envoy's order: exact domain, then the longest suffix wildcard, then "*"; the port is ignored.</summary>
    private static VirtualHost? SelectVirtualHost(RouteConfiguration config, string host)
    {
        var colon = host.LastIndexOf(':');
        var name = config.IgnorePortInHostMatching && colon > 0 ? host[..colon] : host;
        return config.VirtualHosts.FirstOrDefault(v => v.Domains.Contains(name))
            ?? config.VirtualHosts
                .SelectMany(v => v.Domains.Where(d => d.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(d[1..], StringComparison.Ordinal)).Select(d => (v, d.Length)))
                .OrderByDescending(p => p.Length)
                .Select(p => p.v)
                .FirstOrDefault()
            ?? config.VirtualHosts.FirstOrDefault(v => v.Domains.Contains("*"));
    }
}
