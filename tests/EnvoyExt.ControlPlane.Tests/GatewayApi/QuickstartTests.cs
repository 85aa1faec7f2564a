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
