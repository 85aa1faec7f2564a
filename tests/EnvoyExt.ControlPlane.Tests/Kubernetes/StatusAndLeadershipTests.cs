using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.Tests.Providers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// Status written through the status subresource once per real change (not once per translation),
/// visible to kubectl wait; and leader election between two controller instances on one Lease.
/// </summary>
public sealed class StatusAndLeadershipTests
{
    [Fact]
    public async Task StatusIsWrittenOncePerRealChange()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Manifests.Route("a"));
        using var kubeconfig = new KubeconfigFile(harness.Server.Address);
        using var api = new KubernetesApi(kubeconfig.Path);
        var writer = new StatusWriter(api, NullLogger.Instance);
        int Puts(string kind) => harness.Server.Requests($"PUT {kind}/status");

        var first = await harness.NextAsync();
        await writer.WriteAsync(GatewayApiTranslator.Translate(first.Resources).Status, CancellationToken.None);
        Assert.Equal((1, 1, 1), (Puts("GatewayClass"), Puts("Gateway"), Puts("HTTPRoute")));

        // The writes come back as MODIFIED events; translating what they bring changes no status.
        var echoed = await harness.NextAsync();
        await writer.WriteAsync(GatewayApiTranslator.Translate(echoed.Resources).Status, CancellationToken.None);
        Assert.Equal((1, 1, 1), (Puts("GatewayClass"), Puts("Gateway"), Puts("HTTPRoute")));

        // A fresh writer (a restart) finds the cluster already says what it would write.
        var restarted = new StatusWriter(api, NullLogger.Instance);
        await restarted.WriteAsync(GatewayApiTranslator.Translate(echoed.Resources).Status, CancellationToken.None);
        Assert.Equal(0, restarted.Writes);

        // A spec change moves the route's observedGeneration: only the route is written again.
        harness.Server.Store.Update(harness.Server.Type("HTTPRoute"), "default", "a", statusOnly: false, current =>
        {
            current["spec"]!["hostnames"] = new JsonArray("a.example.com");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Single().Metadata.Generation == 2);
        await writer.WriteAsync(GatewayApiTranslator.Translate(changed.Resources).Status, CancellationToken.None);
        Assert.Equal((1, 1, 2), (Puts("GatewayClass"), Puts("Gateway"), Puts("HTTPRoute")));

        var route = harness.Server.Store.Get(harness.Server.Type("HTTPRoute"), "default", "a")!;
        var accepted = route["status"]!["parents"]![0]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Accepted")!;
        Assert.Equal("True", (string?)accepted["status"]);
        Assert.Equal(2, (long)accepted["observedGeneration"]!);
        Assert.NotNull(accepted["lastTransitionTime"]);

        var kubectl = new Kubectl(kubeconfig);
        var wait = await kubectl.RunAsync(null, "wait", "--for=condition=Accepted", "gatewayclass/envoyext", "gateway/gw", "--timeout=20s");
        Assert.True(wait.ExitCode == 0, wait.ToString());
    }

    [Fact]
    public async Task OnlyTheLeaderWritesAndASuccessorTakesOverWhenTheLeaseLapses()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Manifests.Route("a"));
        var report = GatewayApiTranslator.Translate((await harness.NextAsync()).Resources).Status;
        using var kubeconfig = new KubeconfigFile(harness.Server.Address);
        await using var a = new Replica(kubeconfig, "replica-a");
        await using var b = new Replica(kubeconfig, "replica-b");

        a.Start();
        await Eventually(() => a.Elector.IsLeader, "replica-a to lead");
        b.Start();
        // Let b try (and fail) several times while a renews.
        var leaseWrites = harness.Server.Requests("GET Lease");
        await Eventually(() => harness.Server.Requests("GET Lease") >= leaseWrites + 10, "both replicas to poll the lease");
        Assert.True(a.Elector.IsLeader);
        Assert.False(b.Elector.IsLeader);

        a.Publisher.Offer(report);
        b.Publisher.Offer(report);
        await Eventually(() => a.Publisher.Writer.Writes == 3, "the leader to write status");
        Assert.Equal(0, b.Publisher.Writer.Writes);

        // a stops without releasing (a crash): b waits for the lease to lapse, then leads.
        await a.StopAsync();
        Assert.False(a.Elector.IsLeader);
        await Eventually(() => b.Elector.IsLeader, "replica-b to take over");
        var lease = harness.Server.Store.Get(harness.Server.Type("Lease"), "default", "envoyext-controller")!;
        Assert.Equal("replica-b", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)lease["spec"]!["leaseTransitions"]!);

        // The new leader rewrites nothing that is already right, and writes the next change.
        harness.Server.Store.Update(harness.Server.Type("HTTPRoute"), "default", "a", statusOnly: false, current =>
        {
            current["spec"]!["hostnames"] = new JsonArray("b.example.com");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.HttpRoutes.Single().Metadata.Generation == 2);
        b.Publisher.Offer(GatewayApiTranslator.Translate(changed.Resources).Status);
        await Eventually(() => b.Publisher.Writer.Writes == 1, "the new leader to write the route's status");
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>One controller instance's leadership half: its own client, elector and status loop.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly KubernetesApi _api;
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public Replica(KubeconfigFile kubeconfig, string identity)
        {
            _api = new KubernetesApi(kubeconfig.Path);
            Elector = new LeaderElector(_api, new LeaderElectionOptions
            {
                Namespace = "default",
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1.5),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
                ReleaseOnStop = false,
            }, NullLogger.Instance);
            Publisher = new StatusPublisher(Elector, new StatusWriter(_api, NullLogger.Instance));
        }

        public LeaderElector Elector { get; }

        public StatusPublisher Publisher { get; }

        public void Start() => _running = Task.WhenAll(
            Task.Run(() => Elector.RunAsync(_stop.Token)),
            Task.Run(() => Publisher.RunAsync(NullLogger.Instance, _stop.Token)));

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _api.Dispose();
            _stop.Dispose();
        }
    }
}
