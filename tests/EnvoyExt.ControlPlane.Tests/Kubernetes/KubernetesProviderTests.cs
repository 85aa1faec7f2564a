using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Tests.Providers;
using EnvoyExt.ControlPlane.XdsServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// The Kubernetes provider against the API server double: initial sync, changes flowing to the xDS
/// snapshot, a dropped watch resuming without a relist, 410 Gone leading to a relist, and bursts
/// coalesced into a handful of snapshots. Steps wait for snapshots; nothing asserts on timing.
/// </summary>
public sealed class KubernetesProviderTests
{
    private const string ForeignClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: other
        spec:
          controllerName: example.com/other-controller
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: theirs
          namespace: default
        spec:
          gatewayClassName: other
          listeners:
            - name: http
              port: 80
              protocol: HTTP
        """;

    [Fact]
    public async Task FirstSnapshotHoldsOurClassesGatewaysAndRoutes()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(ForeignClass);
        harness.Server.CreateFromYaml(Manifests.Route("a"));

        var first = await harness.NextAsync();

        Assert.Equal(1, first.Version);
        Assert.Equal("envoyext", Assert.Single(first.Resources.GatewayClasses).Metadata.Name);
        Assert.Equal("gw", Assert.Single(first.Resources.Gateways).Metadata.Name);
        Assert.Equal("a", Assert.Single(first.Resources.HttpRoutes).Metadata.Name);
        Assert.Equal("app", Assert.Single(first.Resources.Services).Metadata.Name);
        Assert.Contains(first.Resources.Namespaces, n => n.Metadata.Name == "default");
        Assert.Empty(first.Resources.Problems);
    }

    [Fact]
    public async Task ATrafficPolicyIsWatchedLikeTheOtherPolicies()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml("""
            apiVersion: gateway.envoyext.io/v1alpha1
            kind: TrafficPolicy
            metadata: { name: shaping, namespace: default }
            spec:
              targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }]
              defaults: { retry: { retryOn: [5xx], numRetries: 2 } }
            """);

        var (snapshot, _) = await harness.NextWhereAsync(s => s.Resources.Policies.OfType<ControlPlane.Resources.TrafficPolicy>().Any());
        var policy = snapshot.Resources.Policies.OfType<ControlPlane.Resources.TrafficPolicy>().Single();
        Assert.Equal("2", policy.Defaults!["retry"]!["numRetries"]!.ToJsonString());
        Assert.Empty(snapshot.Resources.Problems);
    }

    [Fact]
    public async Task AddUpdateAndDeleteReachTheXdsSnapshot()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics());
        void Publish(ControlPlane.Providers.ResourceSnapshot snapshot) => publisher.Publish(GatewayApiTranslator.Translate(snapshot.Resources).Ir, null);
        IEnumerable<string> Clusters() => cache.Get("default/gw")?.Clusters.Select(c => c.Name) ?? [];

        Publish(await harness.NextAsync());
        Assert.DoesNotContain(Clusters(), c => c.Contains("app", StringComparison.Ordinal));

        harness.Server.CreateFromYaml(Manifests.Route("a"));
        var (added, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Count == 1);
        Publish(added);
        Assert.Contains(Clusters(), c => c.Contains("app", StringComparison.Ordinal));

        harness.Server.CreateFromYaml(ProviderHarness.Service("other", 9090));
        var route = harness.Server.Type("HTTPRoute");
        harness.Server.Store.Update(route, "default", "a", statusOnly: false, current =>
        {
            current["spec"]!["rules"]![0]!["backendRefs"]![0]!["name"] = "other";
            current["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"] = 9090;
            return current;
        });
        var (updated, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Single().Metadata.Generation == 2);
        Publish(updated);
        Assert.Contains(Clusters(), c => c.Contains("other", StringComparison.Ordinal));
        Assert.DoesNotContain(Clusters(), c => c.Contains("app", StringComparison.Ordinal));

        harness.Server.Store.Delete(route, "default", "a");
        var (deleted, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Count == 0);
        Publish(deleted);
        Assert.DoesNotContain(Clusters(), c => c.Contains("other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADroppedWatchResumesFromItsVersionWithoutListing()
    {
        await using var harness = await ProviderHarness.StartAsync();
        await harness.NextAsync();
        var lists = harness.Provider.Lists;
        // Each informer that listed opens its watch after the snapshot: drop them only once the server holds
        // them all, or a watch that opens after the drop sees the new route without any reconnect.
        var opening = System.Diagnostics.Stopwatch.StartNew();
        while (harness.Server.Store.OpenWatches < lists && opening.Elapsed < ProviderHarness.StepBound)
        {
            await Task.Delay(10);
        }
        var watches = harness.Provider.Watches;

        harness.Server.Store.DropWatches();
        harness.Server.CreateFromYaml(Manifests.Route("after-drop"));

        var (snapshot, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Any(r => r.Metadata.Name == "after-drop"));
        Assert.Single(snapshot.Resources.HttpRoutes);
        Assert.Equal(lists, harness.Provider.Lists);
        Assert.True(harness.Provider.Watches > watches, "every informer opens a new watch after the drop");
    }

    [Fact]
    public async Task GoneLeadsToAFreshList()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Manifests.Route("kept"));
        harness.Server.CreateFromYaml(Manifests.Route("removed-while-away"));
        await harness.NextAsync();
        var lists = harness.Provider.Lists;

        // While no watch is open, history is compacted: resuming from the old version gets 410.
        harness.Server.Store.WhileWatchesAreDown(() =>
        {
            harness.Server.Store.Delete(harness.Server.Type("HTTPRoute"), "default", "removed-while-away");
            harness.Server.CreateFromYaml(Manifests.Route("added-while-away"));
        });

        var (snapshot, _) = await harness.NextWhereAsync(s =>
            s.Resources.HttpRoutes.Select(r => r.Metadata.Name).Order(StringComparer.Ordinal).SequenceEqual(["added-while-away", "kept"]));
        Assert.NotNull(snapshot);
        Assert.True(harness.Provider.Lists > lists, "a 410 makes the informer list again");
    }

    [Fact]
    public async Task ABurstOfAThousandRoutesIsAHandfulOfSnapshots()
    {
        await using var harness = await ProviderHarness.StartAsync();
        await harness.NextAsync();
        var before = harness.Provider.Snapshots;

        var burst = string.Join("\n---\n", Enumerable.Range(0, 1000).Select(i => Manifests.Route("r" + i)));
        harness.Server.CreateFromYaml(burst);

        var (snapshot, taken) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Count == 1000);
        Assert.Equal(1000, snapshot.Resources.HttpRoutes.Count);
        Assert.InRange(taken, 1, 10);
        Assert.Equal(before + taken, harness.Provider.Snapshots);
    }

    [Fact]
    public async Task AnObjectThatFailsToMapIsAProblemNamingIt()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Manifests.Route("bad").Replace("port: 8080", "port: eighty", StringComparison.Ordinal));

        var first = await harness.NextAsync();

        Assert.Empty(first.Resources.HttpRoutes);
        var problem = Assert.Single(first.Resources.Problems);
        Assert.Contains("HTTPRoute default/bad", problem);
        Assert.Contains("spec.rules[0].backendRefs[0].port", problem);
    }
}
