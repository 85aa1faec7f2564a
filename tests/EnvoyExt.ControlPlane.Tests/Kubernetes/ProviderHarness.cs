using EnvoyExt.ControlPlane.Providers;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.Tests.Providers;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// The double seeded with our CRD, a Gateway and a backend Service, and the Kubernetes provider
/// talking to it through a kubeconfig with the unmodified KubernetesClient transport.
/// </summary>
internal sealed class ProviderHarness : IAsyncDisposable
{
    /// <summary>How long one step (a snapshot, a reconnect) may take before a test fails.</summary>
    public static readonly TimeSpan StepBound = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly KubeconfigFile _kubeconfig;
    private readonly KubernetesApi _api;

    private ProviderHarness(FakeApiServer server)
    {
        Server = server;
        _kubeconfig = new KubeconfigFile(server.Address);
        _api = new KubernetesApi(_kubeconfig.Path);
        Provider = new KubernetesProvider(_api, new KubernetesOptions
        {
            Debounce = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            MinBackoff = TimeSpan.FromMilliseconds(50),
        });
        Snapshots = Provider.WatchAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
    }

    public FakeApiServer Server { get; }

    public KubernetesProvider Provider { get; }

    public IAsyncEnumerator<ResourceSnapshot> Snapshots { get; }

    public static async Task<ProviderHarness> StartAsync()
    {
        var server = await FakeApiServer.StartAsync();
        server.CreateFromYaml(File.ReadAllText(Path.Combine(Xds.RepoPaths.Root, "deploy", "crds", "gateway.envoyext.io_ratelimitpolicies.yaml")));
        server.CreateFromYaml(File.ReadAllText(Path.Combine(Xds.RepoPaths.Root, "deploy", "crds", "gateway.envoyext.io_trafficpolicies.yaml")));
        server.CreateFromYaml(File.ReadAllText(Path.Combine(Xds.RepoPaths.Root, "deploy", "crds", "gateway.envoyext.io_authpolicies.yaml")));
        server.CreateFromYaml(File.ReadAllText(Path.Combine(Xds.RepoPaths.Root, "deploy", "crds", "gateway.envoyext.io_envoyextparameters.yaml")));
        server.CreateFromYaml(Manifests.Gateway);
        server.CreateFromYaml(Service("app", 8080));
        return new ProviderHarness(server);
    }

    public static string Service(string name, int port) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: default
        spec:
          ports:
            - port: {port}
        """;

    public async Task<ResourceSnapshot> NextAsync()
    {
        var next = Snapshots.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(StepBound));
        Assert.True(finished == next, "the provider produced no snapshot");
        Assert.True(await next);
        return Snapshots.Current;
    }

    /// <summary>Snapshots until one satisfies <paramref name="condition"/>; returns it and how many were taken.</summary>
    public async Task<(ResourceSnapshot Snapshot, int Taken)> NextWhereAsync(Func<ResourceSnapshot, bool> condition)
    {
        for (var taken = 1; ; taken++)
        {
            var snapshot = await NextAsync();
            if (condition(snapshot))
            {
                return (snapshot, taken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Snapshots.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        _api.Dispose();
        _kubeconfig.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
