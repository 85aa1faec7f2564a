using System.Text.Json.Nodes;
using Envoy.Extensions.TransportSockets.Tls.V3;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// BackendTLSPolicy through the Kubernetes provider against the API server double: the policy and
/// its CA ConfigMap turn the backend's cluster into a TLS cluster, its status is written per Gateway,
/// and a changed hostname reaches the cluster's SNI.
/// </summary>
public sealed class BackendTlsPolicyInformerTests
{
    private const string Objects = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: to-app
          namespace: default
        spec:
          parentRefs: [{ name: gw }]
          rules:
            - backendRefs: [{ name: app, port: 8080 }]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-ca
          namespace: default
        data:
          ca.crt: |
            -----BEGIN CERTIFICATE-----
            MIIBmzCCAUGgAwIBAgIUZ7TDyU27ITWt3xeJL57X+rqEexkwCgYIKoZIzj0EAwIw
            IjEgMB4GA1UEAwwXRW52b3lFeHQgdGVzdCBjbGllbnQgQ0EwIBcNMjYxMjAzMTYy
            NTU1WhgPMjEyNjExMDkxNjI1NTVaMCIxIDAeBgNVBAMMF0Vudm95RXh0IHRlc3Qg
            Y2xpZW50IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQDU6b03tieyDdbZR
            0hpY72G76CUjc+3FcP5PKL3zIJjmhQWrQK1fZDQbrFWY6ScmQxdCWwFtoVkFfX9J
            0MErXKNTMFEwHQYDVR0OBBYEFAfEDaANo8Wu3wYUicfRP1Ff4pOVMB8GA1UdIwQY
            MBaAFAfEDaANo8Wu3wYUicfRP1Ff4pOVMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
            zj0EAwIDSAAwRQIhAMR38hyhgQXkjifOzgVJPkHQPaEH8iqpvdPKZL8pcV6hAiAN
            LIY+At86iw6CHN088RlEPXwY6jFnbYc2rHxebWm53g==
            -----END CERTIFICATE-----
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata:
          name: app-tls
          namespace: default
        spec:
          targetRefs: [{ group: "", kind: Service, name: app }]
          validation:
            caCertificateRefs: [{ group: "", kind: ConfigMap, name: app-ca }]
            hostname: app.internal.example.com
        """;

    [Fact]
    public async Task APolicyFromTheApiServerMakesTheClusterTlsAndGetsStatus()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Objects);
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics());

        var (first, _) = await harness.NextWhereAsync(s => s.Resources.BackendTlsPolicies.Count == 1 && s.Resources.HttpRoutes.Count == 1
            && s.Resources.ConfigMaps.Any(c => c.Metadata.Name == "app-ca"));
        var translation = GatewayApiTranslator.Translate(first.Resources);
        publisher.Publish(translation.Ir, null);
        Assert.Equal("app.internal.example.com", Sni(cache));
        Assert.Contains("default/app-tls/backend-ca", cache.Get("default/gw")!.Secrets.Select(s => s.Name));

        using var kubeconfig = new KubeconfigFile(harness.Server.Address);
        using var api = new KubernetesApi(kubeconfig.Path);
        await new StatusWriter(api, NullLogger.Instance).WriteAsync(translation.Status, CancellationToken.None);
        Assert.Equal(1, harness.Server.Requests("PUT BackendTLSPolicy/status"));
        var stored = harness.Server.Store.Get(harness.Server.Type("BackendTLSPolicy"), "default", "app-tls")!;
        var ancestor = stored["status"]!["ancestors"]![0]!;
        Assert.Equal("gw", (string?)ancestor["ancestorRef"]!["name"]);
        Assert.All(ancestor["conditions"]!.AsArray(), c => Assert.Equal("True", (string?)c!["status"]));

        harness.Server.Store.Update(harness.Server.Type("BackendTLSPolicy"), "default", "app-tls", statusOnly: false, current =>
        {
            current["spec"]!["validation"]!["hostname"] = JsonValue.Create("app-v2.internal.example.com");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.BackendTlsPolicies.Single().Metadata.Generation == 2);
        publisher.Publish(GatewayApiTranslator.Translate(changed.Resources).Ir, null);
        Assert.Equal("app-v2.internal.example.com", Sni(cache));
    }

    private static string Sni(XdsSnapshotCache cache)
    {
        var cluster = cache.Get("default/gw")!.Clusters.Single(c => c.Name == "default/app/8080");
        var message = (Envoy.Config.Cluster.V3.Cluster)cluster.Message;
        return message.TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>().Sni;
    }
}
