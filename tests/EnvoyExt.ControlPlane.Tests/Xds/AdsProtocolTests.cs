using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using Grpc.Core;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// The SotW ADS protocol against the real server over loopback gRPC. "Nothing else was sent" is
/// proven without waiting: a later, different change is pushed, and the very next response on the
/// stream must be that change (the server writes each stream from one ordered loop).
/// </summary>
public sealed class AdsProtocolTests
{
    private const string Gw = "default/gw";
    private const string Backend = "default/backend/8080";

    private static IrSnapshot Base(string prefix = "/", params (string Address, int Port)[] endpoints) => SimpleGateway(
        [Route("httproute/default/app/rule/0/match/0", Match(Prefix(prefix)), Forward((Backend, 1)))],
        [Cluster(Backend, endpoints.Length == 0 ? [("10.0.0.1", 8080)] : endpoints)]);

    [Fact]
    public async Task Initial_sync_serves_every_type_with_the_snapshot_versions_and_unique_nonces()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);

        var sync = await client.SyncAsync();

        var snapshot = server.Cache.Get(Gw)!;
        Assert.Equal(snapshot.Version(XdsTypeUrls.Cluster), sync.Cds.VersionInfo);
        Assert.Equal(snapshot.Version(XdsTypeUrls.Endpoint), sync.Eds.VersionInfo);
        Assert.Equal(snapshot.Version(XdsTypeUrls.Listener), sync.Lds.VersionInfo);
        Assert.Equal(snapshot.Version(XdsTypeUrls.Route), sync.Rds.VersionInfo);
        Assert.Equal([Backend], sync.ClusterNames);
        Assert.Equal(Backend, sync.Eds.Resources.Single().Unpack<ClusterLoadAssignment>().ClusterName);
        Assert.Equal(["default/gw/http"], sync.RouteNames);
        Assert.Equal(4, new[] { sync.Cds.Nonce, sync.Eds.Nonce, sync.Lds.Nonce, sync.Rds.Nonce }.Distinct().Count());
    }

    [Fact]
    public async Task Acks_do_not_cause_resends_and_an_update_pushes_only_the_changed_type()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();

        server.Publisher.Publish(Base("/v2"), null);

        // Only routes changed: the next response is RDS, so no ACK above triggered a resend.
        var rds = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.NotEqual(sync.Rds.VersionInfo, rds.VersionInfo);
    }

    [Fact]
    public async Task Publishing_identical_content_pushes_nothing()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        await client.SyncAsync();

        var changed = server.Publisher.Publish(Base(), null);
        Assert.Empty(changed!);
        server.Publisher.Publish(Base("/next"), null);

        await client.ExpectAsync(XdsTypeUrls.Route);
    }

    [Fact]
    public async Task A_nacked_version_is_not_resent_until_the_content_changes()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();

        // New endpoints: EDS v2 arrives and the client rejects it.
        server.Publisher.Publish(Base("/", ("10.0.0.9", 8080)), null);
        var rejected = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        await client.NackAsync(rejected, sync.Eds.VersionInfo, "endpoint 10.0.0.9 refused", sync.ClusterNames);
        await Eventually.True(() => server.Metrics.NacksTotal == 1, "the server to record the NACK");

        // A different change follows; if the NACK had caused a resend, EDS would come first.
        server.Publisher.Publish(Base("/other", ("10.0.0.9", 8080)), null);
        await client.ExpectAsync(XdsTypeUrls.Route);

        Assert.Equal(1, server.Metrics.NacksTotal);
        var nack = Assert.Single(server.Registry.OpenNacks);
        Assert.Equal((Gw, XdsTypeUrls.Endpoint, rejected.VersionInfo), (nack.NodeKey, nack.TypeUrl, nack.RejectedVersion));
        Assert.Contains("10.0.0.9 refused", nack.Message);

        // Real new content is sent, and accepting it clears the NACK from status.
        server.Publisher.Publish(Base("/other", ("10.0.0.10", 8080)), null);
        var fixedEds = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.NotEqual(rejected.VersionInfo, fixedEds.VersionInfo);
        await client.AckAsync(fixedEds, sync.ClusterNames);
        await Eventually.True(() => server.Registry.OpenNacks.Count == 0, "the ACK to clear the NACK from status");
    }

    [Fact]
    public async Task Cluster_update_is_followed_by_fresh_endpoints_and_new_clusters_precede_routes_naming_them()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();

        // A new cluster and a route to it: CDS must reach the client before the RDS that names it.
        var grown = SimpleGateway(
            [
                Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1))),
                Route("httproute/default/new/rule/0/match/0", Match(Prefix("/new")), Forward(("default/new/80", 1))),
            ],
            [Cluster(Backend, ("10.0.0.1", 8080)), Cluster("default/new/80", ("10.0.7.1", 80))]);
        server.Publisher.Publish(grown, null);

        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Equal(2, cds.Resources.Count);
        var rds = await client.ExpectAsync(XdsTypeUrls.Route);
        await client.AckAsync(cds);

        // The client subscribes to the new cluster's endpoints (as a warming Envoy would): answered.
        var names = cds.Resources.Select(a => a.Unpack<Cluster>().Name).ToList();
        await client.SendAsync(XdsTypeUrls.Endpoint, names, sync.Eds.VersionInfo, sync.Eds.Nonce);
        var eds = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.Equal(names.Order(StringComparer.Ordinal), eds.Resources.Select(a => a.Unpack<ClusterLoadAssignment>().ClusterName).Order(StringComparer.Ordinal));
        await client.AckAsync(rds, sync.RouteNames);
    }

    [Fact]
    public async Task After_a_cluster_only_change_the_next_endpoint_request_is_answered_even_if_unchanged()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();

        // Same endpoints, cluster protocol changes: CDS only.
        var h2 = SimpleGateway(
            [Route("httproute/default/app/rule/0/match/0", Match(Prefix("/")), Forward((Backend, 1)))],
            [new IrCluster(Backend, [new IrEndpoint("10.0.0.1", 8080)], IrUpstreamProtocol.Http2)]);
        server.Publisher.Publish(h2, null);
        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        await client.AckAsync(cds);

        // The re-created cluster warms only on a fresh EDS response: the re-sent EDS request gets one.
        await client.SendAsync(XdsTypeUrls.Endpoint, sync.ClusterNames, sync.Eds.VersionInfo, sync.Eds.Nonce);
        var eds = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.Equal(sync.Eds.VersionInfo, eds.VersionInfo);
        Assert.NotEqual(sync.Eds.Nonce, eds.Nonce);
    }

    [Fact]
    public async Task Reconnecting_client_gets_the_current_state_again()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        AdsTestClient.SyncResult first;
        await using (var client = server.Connect(Gw))
        {
            first = await client.SyncAsync();
        }
        server.Publisher.Publish(Base("/moved"), null);

        await using var again = server.Connect(Gw);
        // A reconnecting Envoy reports what it has (version, no nonce): it still gets a full answer.
        await again.SendAsync(XdsTypeUrls.Cluster, version: first.Cds.VersionInfo);
        var cds = await again.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Equal(first.Cds.VersionInfo, cds.VersionInfo);
        await again.AckAsync(cds);
        await again.SendAsync(XdsTypeUrls.Route, first.RouteNames, first.Rds.VersionInfo);
        var rds = await again.ExpectAsync(XdsTypeUrls.Route);
        Assert.NotEqual(first.Rds.VersionInfo, rds.VersionInfo);
    }

    [Fact]
    public async Task Two_nodes_of_different_gateways_get_their_own_snapshots()
    {
        await using var server = await AdsServerFixture.StartAsync(GoldenCases.All["multi-gateway"]());
        await using var publicProxy = server.Connect("infra/public", "public-0");
        // No cluster set: the node id names the Gateway.
        await using var internalProxy = server.Connect("", "infra/internal");

        var publicSync = await publicProxy.SyncAsync();
        var internalSync = await internalProxy.SyncAsync();

        Assert.Equal(["apps/api/80", "apps/web/80"], publicSync.ClusterNames);
        Assert.Equal(["infra/public/http", "infra/public/admin"], publicSync.RouteNames);
        Assert.Equal(["apps/internal/80"], internalSync.ClusterNames);
        Assert.Equal(["infra/internal/http"], internalSync.RouteNames);
    }

    [Fact]
    public async Task A_node_of_an_unknown_gateway_waits_and_is_served_once_the_gateway_appears()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect("later/gw");
        await client.SendAsync(XdsTypeUrls.Cluster);

        server.Publisher.Publish(Snapshot(
            Gateway("default", "gw", [], Cluster(Backend)),
            Gateway("later", "gw", [], Cluster("later/svc/80", ("10.9.0.1", 80)))), null);

        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Equal("later/svc/80", cds.Resources.Single().Unpack<Cluster>().Name);
    }

    [Fact]
    public async Task Named_resources_that_do_not_exist_yet_are_sent_when_they_appear()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);

        // A route configuration nobody has produced yet: no (empty) answer, also not when other
        // content changes; the first response is the one carrying it.
        await client.SendAsync(XdsTypeUrls.Route, ["default/gw/later"]);
        server.Publisher.Publish(Base("/unrelated"), null);
        var withLater = Snapshot(Gateway("default", "gw",
            [
                Listener("default/gw/http", 8080, null, VHost("default/gw/http/*", ["*"], Route("httproute/default/app/rule/0/match/0", Match(Prefix("/unrelated")), Forward((Backend, 1))))),
                Listener("default/gw/later", 9090, null),
            ],
            Cluster(Backend, ("10.0.0.1", 8080))));
        server.Publisher.Publish(withLater, null);

        var rds = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.Equal("default/gw/later", rds.Resources.Single().Unpack<Envoy.Config.Route.V3.RouteConfiguration>().Name);
    }

    [Fact]
    public async Task Removed_gateway_gets_empty_full_state_listeners_and_clusters()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        await client.SyncAsync();

        server.Publisher.Publish(IrSnapshot.Empty, null);

        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Empty(cds.Resources);
        // EDS/RDS name lists are unchanged but their selected content vanished: they follow in order.
        var eds = await client.ExpectAsync(XdsTypeUrls.Endpoint);
        Assert.Empty(eds.Resources);
        var lds = await client.ExpectAsync(XdsTypeUrls.Listener);
        Assert.Empty(lds.Resources);
    }

    [Fact]
    public async Task Stale_nonce_requests_are_ignored()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();
        // The sync ends with the client's RDS ACK, which may still be on its way: published before the
        // server took it, the new RDS response would make that ACK a stale request too.
        await Eventually.True(() => server.Metrics.Acks.GetValueOrDefault(XdsTypeUrls.Route) == 1, "the server to take the sync's RDS ACK");
        server.Publisher.Publish(Base("/v2"), null);
        var rds = await client.ExpectAsync(XdsTypeUrls.Route);

        // A late request answering the superseded RDS response, asking for a new name: ignored.
        await client.SendAsync(XdsTypeUrls.Route, ["default/gw/http", "default/gw/other"], sync.Rds.VersionInfo, sync.Rds.Nonce);
        await Eventually.True(() => server.Metrics.StaleRequests == 1, "the server to see the stale request");
        await client.AckAsync(rds, sync.RouteNames);
        server.Publisher.Publish(Base("/v3"), null);

        var next = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.NotEqual(rds.VersionInfo, next.VersionInfo);
    }

    [Fact]
    public async Task Many_concurrent_streams_are_all_served()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        var clients = Enumerable.Range(0, 40).Select(i => server.Connect(Gw, $"envoy-{i}")).ToList();
        try
        {
            var syncs = await Task.WhenAll(clients.Select(c => c.SyncAsync()));
            Assert.All(syncs, s => Assert.Equal([Backend], s.ClusterNames));

            server.Publisher.Publish(Base("/all"), null);
            var updates = await Task.WhenAll(clients.Select(c => c.ExpectAsync(XdsTypeUrls.Route)));
            Assert.Single(updates.Select(u => u.VersionInfo).Distinct());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task First_request_without_node_is_rejected_with_invalid_argument()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        await client.SendRawAsync(new Envoy.Service.Discovery.V3.DiscoveryRequest { TypeUrl = XdsTypeUrls.Cluster });

        var error = await Assert.ThrowsAsync<RpcException>(client.NextAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("node", error.Status.Detail);
    }

    [Fact]
    public async Task Request_without_type_url_is_rejected_with_invalid_argument()
    {
        await using var server = await AdsServerFixture.StartAsync(Base());
        await using var client = server.Connect(Gw);
        await client.SendAsync("");

        var error = await Assert.ThrowsAsync<RpcException>(client.NextAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("type_url", error.Status.Detail);
    }
}
