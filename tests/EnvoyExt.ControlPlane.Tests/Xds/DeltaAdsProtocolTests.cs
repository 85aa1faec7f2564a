using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>Incremental (Delta) ADS against the real server over loopback gRPC.</summary>
public sealed class DeltaAdsProtocolTests
{
    private const string Gw = "default/gw";

    private static IrSnapshot Config(string prefix = "/", string endpoint = "10.0.0.1", bool second = true) => SimpleGateway(
        [Route("httproute/default/app/rule/0/match/0", Match(Prefix(prefix)), Forward(("default/a/80", 1)))],
        second
            ? [Cluster("default/a/80", (endpoint, 80)), Cluster("default/b/80", ("10.0.0.2", 80))]
            : [Cluster("default/a/80", (endpoint, 80))]);

    [Fact]
    public async Task Sends_only_changed_resources_and_names_of_removed_ones()
    {
        await using var server = await AdsServerFixture.StartAsync(Config());
        await using var client = new DeltaAdsTestClient(server.Host.Address, Gw);

        await client.SendAsync(XdsTypeUrls.Cluster);
        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Equal(["default/a/80", "default/b/80"], cds.Resources.Select(r => r.Name));
        await client.AckAsync(cds);
        await client.SendAsync(XdsTypeUrls.Endpoint, ["default/a/80", "default/b/80"]);
        var eds = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.Equal(2, eds.Resources.Count);
        await client.AckAsync(eds);

        // One endpoint changes: only that ClusterLoadAssignment is sent.
        server.Publisher.Publish(Config(endpoint: "10.0.0.9"), null);
        var update = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.Equal(["default/a/80"], update.Resources.Select(r => r.Name));
        Assert.Empty(update.RemovedResources);
        await client.AckAsync(update);

        // A cluster disappears: its name is listed as removed, nothing is re-sent.
        server.Publisher.Publish(Config(endpoint: "10.0.0.9", second: false), null);
        var removal = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Empty(removal.Resources);
        Assert.Equal(["default/b/80"], removal.RemovedResources);
    }

    [Fact]
    public async Task Reconnecting_client_with_current_versions_gets_nothing_again()
    {
        await using var server = await AdsServerFixture.StartAsync(Config());
        Dictionary<string, string> held;
        await using (var first = new DeltaAdsTestClient(server.Host.Address, Gw))
        {
            await first.SendAsync(XdsTypeUrls.Cluster);
            var cds = await first.ExpectAsync(XdsTypeUrls.Cluster);
            held = cds.Resources.ToDictionary(r => r.Name, r => r.Version);
        }

        await using var again = new DeltaAdsTestClient(server.Host.Address, Gw);
        await again.SendAsync(XdsTypeUrls.Cluster, initialVersions: held);
        await again.SendAsync(XdsTypeUrls.Listener);

        // Clusters are unchanged, so the first response is the listener one.
        var lds = await again.ExpectAsync(XdsTypeUrls.Listener);
        Assert.Equal(["default/gw/http"], lds.Resources.Select(r => r.Name));
    }

    [Fact]
    public async Task Rejected_resources_are_not_resent_and_missing_names_are_reported_removed()
    {
        await using var server = await AdsServerFixture.StartAsync(Config());
        await using var client = new DeltaAdsTestClient(server.Host.Address, Gw);
        await client.SendAsync(XdsTypeUrls.Listener);
        var lds = await client.ExpectAsync(XdsTypeUrls.Listener);
        await client.AckAsync(lds);
        await client.SendAsync(XdsTypeUrls.Route, ["default/gw/http", "default/gw/nope"]);
        var rds = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.Equal(["default/gw/http"], rds.Resources.Select(r => r.Name));
        Assert.Equal(["default/gw/nope"], rds.RemovedResources);

        await client.SendAsync(XdsTypeUrls.Route, nonce: rds.Nonce, error: new Google.Rpc.Status { Code = 3, Message = "route rejected" });
        await Eventually.True(() => server.Metrics.NacksTotal == 1, "the NACK to be recorded");

        // Only a listener is added (the rejected route is unchanged); a resend of the rejected
        // route, or a repeated report of the missing one, would come first.
        var withAdmin = Snapshot(Gateway("default", "gw",
            [
                Listener("default/gw/http", 8080, null, VHost("default/gw/http/*", ["*"], Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward(("default/a/80", 1))))),
                Listener("default/gw/admin", 9090, null),
            ],
            Cluster("default/a/80", ("10.0.0.1", 80)), Cluster("default/b/80", ("10.0.0.2", 80))));
        server.Publisher.Publish(withAdmin, null);
        var next = await client.ExpectAsync(XdsTypeUrls.Listener);
        Assert.Equal(["default/gw/admin"], next.Resources.Select(r => r.Name));
    }
}
