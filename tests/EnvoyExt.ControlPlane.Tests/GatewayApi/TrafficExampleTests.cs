using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>examples/traffic must translate cleanly: each rule carries its own filter section plus the platform's Envoy-native ones.</summary>
public sealed class TrafficExampleTests
{
    [Fact]
    public void The_traffic_example_translates_with_every_policy_accepted()
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted("traffic");

        var gateway = result.Ir.Gateways["default/traffic"];
        var routes = gateway.HttpListeners.Single().VirtualHosts.SelectMany(v => v.Routes).ToDictionary(r => r.Name.Split('/')[4]);
        Assert.Equal(25, routes["0"].Filters.Get(IrFeatures.Traffic)!.Fault!.Abort!.Percentage!.Numerator);
        Assert.Equal(2, routes["1"].Filters.Get(IrFeatures.Traffic)!.ConcurrencyLimit!.MaxConcurrentRequests);
        Assert.Equal(256, routes["2"].Filters.Get(IrFeatures.Traffic)!.BandwidthLimit!.LimitKiBps);
        Assert.All(routes.Values, r => Assert.Equal(15_000, r.Filters.Get(IrFeatures.Traffic)!.RequestTimeoutMs));
        Assert.All(gateway.Clusters, c => Assert.Equal(new IrCircuitBreakers(1024, 256, 1024, 8), c.CircuitBreakers));
    }
}
