using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// `kubectl apply -k deploy/` against the API server double (with the Gateway API kinds served, as
/// in a cluster that has their CRDs): every manifest kustomize renders is accepted and stored, and
/// a second apply changes nothing. The double does not check CRD schemas or RBAC semantics.
/// </summary>
public sealed class DeployManifestTests
{
    private static string DeployDir => Path.Combine(Xds.RepoPaths.Root, "deploy");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyKustomizationAcceptsEveryManifest(bool serverSide)
    {
        await using var server = await FakeApiServer.StartAsync();
        using var kubeconfig = new KubeconfigFile(server.Address);
        var kubectl = new Kubectl(kubeconfig);
        string[] apply = serverSide ? ["apply", "--server-side", "-k", DeployDir] : ["apply", "-k", DeployDir];

        var rendered = await kubectl.RunAsync(null, "kustomize", DeployDir);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var expected = rendered.Stdout.Split('\n').Count(l => l.StartsWith("kind:", StringComparison.Ordinal));
        Assert.True(expected >= 12, $"kustomize rendered only {expected} objects");

        var first = await kubectl.RunAsync(null, apply);
        Assert.True(first.ExitCode == 0, first.ToString());
        var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, lines.Length);
        Assert.All(lines, l => Assert.EndsWith(serverSide ? "serverside-applied" : "created", l));

        // Everything is in the store where the manifests say.
        Assert.NotNull(server.Store.Get(server.Type("CustomResourceDefinition"), "", "ratelimitpolicies.gateway.envoyext.io"));
        Assert.NotNull(server.Store.Get(server.Type("Deployment"), "envoyext-system", "envoyext-controller"));
        Assert.NotNull(server.Store.Get(server.Type("Deployment"), "envoyext-system", "envoyext-gateway"));
        Assert.NotNull(server.Store.Get(server.Type("ClusterRoleBinding"), "", "envoyext-controller"));
        Assert.NotNull(server.Store.Get(server.Type("GatewayClass"), "", "envoyext"));
        Assert.NotNull(server.Find("gateway.envoyext.io", "v1alpha1", "ratelimitpolicies"));
        Assert.NotNull(server.Store.Get(server.Type("CustomResourceDefinition"), "", "trafficpolicies.gateway.envoyext.io"));
        Assert.NotNull(server.Find("gateway.envoyext.io", "v1alpha1", "trafficpolicies"));
        Assert.NotNull(server.Store.Get(server.Type("CustomResourceDefinition"), "", "authpolicies.gateway.envoyext.io"));
        Assert.NotNull(server.Find("gateway.envoyext.io", "v1alpha1", "authpolicies"));
        Assert.NotNull(server.Store.Get(server.Type("CustomResourceDefinition"), "", "envoyextparameters.gateway.envoyext.io"));
        Assert.NotNull(server.Find("gateway.envoyext.io", "v1alpha1", "envoyextparameters"));

        var again = await kubectl.RunAsync(null, apply);
        Assert.True(again.ExitCode == 0, again.ToString());
        if (!serverSide)
        {
            Assert.All(again.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.EndsWith("unchanged", l));
        }
    }
}
