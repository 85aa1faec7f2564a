using System.Net;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>List and object responses are read up to a bound, never whole whatever their size.</summary>
public sealed class ResponseBoundTests
{
    [Fact]
    public async Task AListLargerThanTheBoundFailsNamingTheRequestAndASmallerOneIsRead()
    {
        await using var server = await FakeApiServer.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            server.CreateFromYaml(ProviderHarness.Service($"svc-{i:D2}", 8000 + i));
        }
        using var kubeconfig = new KubeconfigFile(server.Address);
        var services = WatchedKind.All.Single(k => k.Kind == "Service");

        using (var roomy = new KubernetesApi(kubeconfig.Path))
        {
            var (items, _) = await roomy.ListAsync(services, null, CancellationToken.None);
            Assert.Equal(20, items.Count);
        }

        using var tight = new KubernetesApi(kubeconfig.Path) { MaxResponseBytes = 2048 };
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => tight.ListAsync(services, null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Code);
        Assert.Equal("GET /api/v1/services: the response is larger than 2048 bytes", error.Message);
    }
}
