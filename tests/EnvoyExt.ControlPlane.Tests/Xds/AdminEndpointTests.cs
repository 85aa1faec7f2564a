using System.Net;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Admin;
using EnvoyExt.ControlPlane.XdsTranslation;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>The admin endpoint over real HTTP, next to a real ADS server with a connected client.</summary>
[Collection(AdminMetricsCollection.Name)]
public sealed class AdminEndpointTests
{
    private static readonly Ir.IrSnapshot Config = SimpleGateway(
        [Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward(("default/backend/8080", 1)))],
        [Cluster("default/backend/8080", ("10.0.0.1", 8080))]);

    [Fact]
    public async Task Serves_health_snapshot_status_and_metrics_including_a_nack()
    {
        await using var server = await AdsServerFixture.StartAsync(Config);
        server.Publisher.Publish(Config, new JsonObject { ["report"] = "from the gateway api half" });
        await using var admin = await AdminServerHost.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), server.Publisher, server.Cache, server.Metrics, server.Registry,
            logging => { });
        await using var client = server.Connect("default/gw", "envoy-7");
        await client.SendAsync(XdsTypeUrls.Cluster);
        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        await client.NackAsync(cds, "", "cluster rejected for the test");
        await Eventually.True(() => server.Metrics.NacksTotal == 1, "the NACK to be recorded");

        using var http = new HttpClient { BaseAddress = admin.Address };
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));

        var snapshot = JsonNode.Parse(await http.GetStringAsync("/snapshot"))!;
        Assert.Equal(server.Cache.Get("default/gw")!.Version(XdsTypeUrls.Cluster), (string?)snapshot["gateways"]!["default/gw"]!["versions"]!["clusters"]);
        Assert.Equal("default/backend/8080", (string?)snapshot["gateways"]!["default/gw"]!["clusters"]![0]!["name"]);

        var status = JsonNode.Parse(await http.GetStringAsync("/status"))!;
        Assert.Equal("from the gateway api half", (string?)status["gatewayApi"]!["report"]);
        var nack = status["xds"]!["nacks"]![0]!;
        Assert.Equal(("default/gw", "envoy-7", "clusters", cds.VersionInfo, "cluster rejected for the test"),
            ((string?)nack["gateway"], (string?)nack["nodeId"], (string?)nack["type"], (string?)nack["rejectedVersion"], (string?)nack["message"]));
        Assert.Equal("envoy-7", (string?)status["xds"]!["streams"]![0]!["nodeId"]);

        var metrics = PrometheusScrape.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Value("envoyext_xds_nacks_total", ("node", "default/gw"), ("type", "clusters")));
        Assert.Equal(1, metrics.Value("envoyext_xds_connected_streams"));
        Assert.Equal(2, metrics.Value("envoyext_translations_total"));
    }
}
