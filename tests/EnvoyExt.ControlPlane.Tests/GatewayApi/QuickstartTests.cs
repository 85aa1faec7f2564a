using System.Runtime.CompilerServices;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>The demo's input must translate cleanly: every condition positive and the per-user limit on the orders route.</summary>
public sealed class QuickstartTests
{
    private static string QuickstartFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "quickstart"));

    [Fact]
    public void QuickstartIsFullyAccepted()
    {
        var resources = StandaloneProvider.ReadFolder(QuickstartFolder());
        var result = GatewayApiTranslator.Translate(resources);

        Assert.Empty(result.Status.Problems);
        var conditions = result.Status.Gateways.SelectMany(g => g.Conditions.Concat(g.Listeners.SelectMany(l => l.Conditions)))
            .Concat(result.Status.Routes.SelectMany(r => r.Parents).SelectMany(p => p.Conditions))
            .Concat(result.Status.Policies.SelectMany(p => p.Ancestors).SelectMany(a => a.Conditions))
            .ToList();
        Assert.NotEmpty(conditions);
        Assert.All(conditions, c => Assert.True(c.Type == "Conflicted" ? c.Status == "False" : c.Status == "True", $"{c.Type}={c.Status} {c.Reason}: {c.Message}"));

        var gateway = result.Ir.Gateways["default/quickstart"];
        var routes = gateway.HttpListeners.Single().VirtualHosts.Single(v => v.Domains.Contains("quickstart.example.com")).Routes;
        var orders = routes.Single(r => r.Name == "httproute/default/api/rule/0/match/0");
        var json = RateLimitConfigJson.Serialize(orders.Filters.Get(IrFeatures.RateLimit)!);
        Assert.Contains("\"per-user\"", json, StringComparison.Ordinal);
        Assert.Contains("\"global\"", json, StringComparison.Ordinal);
        Assert.Null(routes.Single(r => r.Name == "httproute/default/api/rule/1/match/0").Filters.Get(IrFeatures.RateLimit));
        Assert.Equal(new IrEndpoint("127.0.0.1", 9001), gateway.Clusters.Single(c => c.Name == "default/orders/80").Endpoints.Single());
    }
}

/// <summary>examples/https must translate cleanly: HTTPS with its certificate over SDS, the redirect on HTTP, the rate limit on HTTPS.</summary>
public sealed class HttpsExampleTests
{
    private static string Folder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "https"));

    [Fact]
    public void HttpsExampleIsFullyAccepted()
    {
        var resources = StandaloneProvider.ReadFolder(Folder());
        var result = GatewayApiTranslator.Translate(resources);

        Assert.Empty(result.Status.Problems);
        var conditions = result.Status.Gateways.SelectMany(g => g.Conditions.Concat(g.Listeners.SelectMany(l => l.Conditions)))
            .Concat(result.Status.Routes.SelectMany(r => r.Parents).SelectMany(p => p.Conditions))
            .Concat(result.Status.Policies.SelectMany(p => p.Ancestors).SelectMany(a => a.Conditions))
            .ToList();
        Assert.Equal(2, result.Status.Routes.Count);
        Assert.All(conditions, c => Assert.True(c.Type == "Conflicted" ? c.Status == "False" : c.Status == "True", $"{c.Type}={c.Status} {c.Reason}: {c.Message}"));

        var gateway = result.Ir.Gateways["default/https"];
        Assert.Equal("default/https-example-com", Assert.Single(gateway.Secrets!).Name);
        var https = gateway.HttpListeners.Single(l => l.Port == 8443);
        var chain = Assert.Single(https.TlsChains!);
        Assert.Equal("https.example.com", chain.Hostname);
        Assert.Equal(["default/https-example-com"], chain.SecretNames);
        var web = https.VirtualHosts.Single().Routes.Single();
        Assert.NotNull(web.Filters.Get(IrFeatures.RateLimit));

        var http = gateway.HttpListeners.Single(l => l.Port == 8080);
        Assert.Null(http.TlsChains);
        var redirect = Assert.IsType<IrRedirect>(http.VirtualHosts.Single().Routes.Single().Action);
        Assert.Equal("https", redirect.Scheme);
        Assert.Equal(8443, redirect.Port);
    }
}
