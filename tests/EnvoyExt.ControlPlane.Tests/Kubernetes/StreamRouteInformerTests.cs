using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.XdsServer;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// TLSRoute and TCPRoute through the Kubernetes provider against the API server double: created,
/// changed and deleted routes reach the xDS snapshot as TCP proxy listeners, and their status is
/// written through the status subresource.
/// </summary>
public sealed class StreamRouteInformerTests
{
    private const string StreamGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: streams
          namespace: default
        spec:
          gatewayClassName: envoyext
          listeners:
            - name: tls
              port: 9443
              protocol: TLS
              tls:
                mode: Passthrough
            - name: tcp
              port: 9000
              protocol: TCP
        """;

    private const string Routes = """
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TLSRoute
        metadata:
          name: secure
          namespace: default
        spec:
          parentRefs:
            - name: streams
              sectionName: tls
          hostnames: ["secure.example.com"]
          rules:
            - backendRefs:
                - name: app
                  port: 8080
        ---
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TCPRoute
        metadata:
          name: raw
          namespace: default
        spec:
          parentRefs:
            - name: streams
              sectionName: tcp
          rules:
            - backendRefs:
                - name: app
                  port: 8080
        """;

    [Fact]
    public async Task TlsAndTcpRoutesFlowToTheSnapshotAndGetStatus()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(StreamGateway);
        harness.Server.CreateFromYaml(Routes);
        var cache = new XdsSnapshotCache();
        var publisher = new XdsPublisher(cache, new XdsMetrics());

        var (first, _) = await harness.NextWhereAsync(s => s.Resources.TlsRoutes.Count == 1 && s.Resources.TcpRoutes.Count == 1);
        var translation = GatewayApiTranslator.Translate(first.Resources);
        publisher.Publish(translation.Ir, null);
        Assert.Equal(["default/streams/tcp", "default/streams/tls"], ListenerNames(cache).Order(StringComparer.Ordinal));

        using var kubeconfig = new KubeconfigFile(harness.Server.Address);
        using var api = new KubernetesApi(kubeconfig.Path);
        await new StatusWriter(api, NullLogger.Instance).WriteAsync(translation.Status, CancellationToken.None);
        Assert.Equal(1, harness.Server.Requests("PUT TLSRoute/status"));
        Assert.Equal(1, harness.Server.Requests("PUT TCPRoute/status"));
        foreach (var (kind, name) in new[] { ("TLSRoute", "secure"), ("TCPRoute", "raw") })
        {
            var stored = harness.Server.Store.Get(harness.Server.Type(kind), "default", name)!;
            var accepted = stored["status"]!["parents"]![0]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Accepted")!;
            Assert.Equal("True", (string?)accepted["status"]);
        }

        // Deleting the TCPRoute leaves its port without a route: Envoy gets no listener for it.
        harness.Server.Store.Delete(harness.Server.Type("TCPRoute"), "default", "raw");
        var (deleted, _) = await harness.NextWhereAsync(s => s.Resources.TcpRoutes.Count == 0);
        publisher.Publish(GatewayApiTranslator.Translate(deleted.Resources).Ir, null);
        Assert.Equal(["default/streams/tls"], ListenerNames(cache));

        // A new hostname on the TLSRoute becomes a new SNI chain.
        harness.Server.Store.Update(harness.Server.Type("TLSRoute"), "default", "secure", statusOnly: false, current =>
        {
            current["spec"]!["hostnames"] = new JsonArray("secure.example.com", "other.example.com");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.TlsRoutes.Single().Metadata.Generation == 2);
        var ir = GatewayApiTranslator.Translate(changed.Resources).Ir;
        var chains = ir.Gateways["default/streams"].TcpListeners!.Single().Chains;
        Assert.Equal(["other.example.com", "secure.example.com"], chains.SelectMany(c => c.ServerNames!).Order(StringComparer.Ordinal));
    }

    private static List<string> ListenerNames(XdsSnapshotCache cache) =>
        cache.Get("default/streams")?.Listeners.Select(l => l.Name).ToList() ?? [];
}
