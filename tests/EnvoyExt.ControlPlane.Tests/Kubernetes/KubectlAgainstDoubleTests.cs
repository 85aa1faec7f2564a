using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// The API server double checked with a real client: kubectl's discovery, client-side apply (create,
/// then a merge patch), server-side apply, get and wait all work against it unmodified.
/// </summary>
public sealed class KubectlAgainstDoubleTests
{
    private const string GatewayClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: envoyext
        spec:
          controllerName: gateway.envoyext.io/controller
        """;

    private static string Route(string name, int port) => $"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {name}
          namespace: default
        spec:
          parentRefs: [{"{"} name: gw {"}"}]
          rules:
            - backendRefs: [{"{"} name: backend, port: {port} {"}"}]
        """;

    [Fact]
    public async Task ClientSideApplyCreatesThenPatches()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);

        var created = await kubectl.RunAsync(Route("r", 8080), "apply", "-f", "-");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("httproute.gateway.networking.k8s.io/r created", created.Stdout);

        var changed = await kubectl.RunAsync(Route("r", 9090), "apply", "-f", "-");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Contains("configured", changed.Stdout);

        var stored = server.Store.Get(server.Type("HTTPRoute"), "default", "r")!;
        Assert.Equal(9090, (int)stored["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"]!);
        Assert.Equal(2, (long)stored["metadata"]!["generation"]!);
        Assert.Equal(1, server.Requests("POST HTTPRoute"));
        Assert.Equal(1, server.Requests("PATCH HTTPRoute"));

        var unchanged = await kubectl.RunAsync(Route("r", 9090), "apply", "-f", "-");
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Contains("unchanged", unchanged.Stdout);
    }

    [Fact]
    public async Task ServerSideApplyCreatesAndUpdates()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);

        var created = await kubectl.RunAsync(GatewayClass, "apply", "--server-side", "-f", "-");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("gatewayclass.gateway.networking.k8s.io/envoyext serverside-applied", created.Stdout);

        var updated = await kubectl.RunAsync(Route("r", 1), "apply", "--server-side", "-f", "-");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        updated = await kubectl.RunAsync(Route("r", 2), "apply", "--server-side", "-f", "-");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        var stored = server.Store.Get(server.Type("HTTPRoute"), "default", "r")!;
        Assert.Equal(2, (int)stored["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"]!);
    }

    [Fact]
    public async Task GetListsAndShowsObjects()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);
        Assert.Equal(0, (await kubectl.RunAsync(Route("a", 1) + "\n---\n" + Route("b", 2), "apply", "-f", "-")).ExitCode);

        var names = await kubectl.RunAsync(null, "get", "httproutes", "-o", "name");
        Assert.True(names.ExitCode == 0, names.ToString());
        Assert.Equal(["httproute.gateway.networking.k8s.io/a", "httproute.gateway.networking.k8s.io/b"], names.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var one = await kubectl.RunAsync(null, "get", "httproute", "b", "-o", "jsonpath={.spec.rules[0].backendRefs[0].port}");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal("2", one.Stdout);

        var missing = await kubectl.RunAsync(null, "get", "httproute", "nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);

        var table = await kubectl.RunAsync(null, "get", "httproutes");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("a", table.Stdout);
    }

    [Fact]
    public async Task WaitReturnsWhenStatusReportsTheCondition()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);
        Assert.Equal(0, (await kubectl.RunAsync(GatewayClass, "apply", "-f", "-")).ExitCode);

        var wait = kubectl.RunAsync(null, "wait", "--for=condition=Accepted", "gatewayclass/envoyext", "--timeout=30s");
        await Eventually(() => server.Requests("WATCH GatewayClass") > 0 || wait.IsCompleted, "kubectl wait to start watching");
        Assert.False(wait.IsCompleted, (await Finished(wait))?.ToString());

        var type = server.Type("GatewayClass");
        server.Store.Update(type, "", "envoyext", statusOnly: true, current =>
        {
            current["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Accepted", ["status"] = "True", ["reason"] = "Accepted", ["message"] = "", ["lastTransitionTime"] = "2026-01-01T00:00:00Z", ["observedGeneration"] = 1 }),
            };
            return current;
        });

        var result = await wait;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("condition met", result.Stdout);
    }

    [Fact]
    public async Task StaleResourceVersionConflicts()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);
        Assert.Equal(0, (await kubectl.RunAsync(Route("r", 1), "apply", "-f", "-")).ExitCode);
        var stale = server.Store.Get(server.Type("HTTPRoute"), "default", "r")!;
        Assert.Equal(0, (await kubectl.RunAsync(Route("r", 2), "apply", "-f", "-")).ExitCode);

        stale["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"] = 3;
        var replace = await kubectl.RunAsync(stale.ToJsonString(), "replace", "-f", "-");
        Assert.NotEqual(0, replace.ExitCode);
        Assert.Contains("the object has been modified", replace.Stderr);
    }

    private static async Task<Kubectl.Result?> Finished(Task<Kubectl.Result> task) => task.IsCompleted ? await task : null;

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(20);
        }
    }
}
