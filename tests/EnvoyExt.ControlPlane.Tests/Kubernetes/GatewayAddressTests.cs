using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Kubernetes;
using EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;
using EnvoyExt.ControlPlane.Tests.Providers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// Gateway status.addresses from the Envoy Service labelled with the Gateway: LoadBalancer ingress
/// when the load balancer has given one, the cluster IP otherwise; written through the status
/// subresource and followed when the Service changes.
/// </summary>
public sealed class GatewayAddressTests
{
    private static string EnvoyService(string name, string ns, string type, string clusterIp, string labels) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
          labels:
        {labels}
        spec:
          type: {type}
          clusterIP: {clusterIp}
          ports:
            - port: 80
        """;

    private const string GwLabels = """
            gateway.envoyext.io/gateway-name: gw
            gateway.envoyext.io/gateway-namespace: default
        """;

    [Fact]
    public async Task ServicesMapToAddressesByTheirLabels()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: edge\n");
        // In another namespace, naming its Gateway's namespace; a LoadBalancer still waiting shows its cluster IP.
        harness.Server.CreateFromYaml(EnvoyService("envoy-a", "edge", "LoadBalancer", "10.96.0.10", GwLabels));
        // Without the namespace label the Service's own namespace is the Gateway's.
        harness.Server.CreateFromYaml(EnvoyService("envoy-b", "edge", "ClusterIP", "10.96.0.11", "    gateway.envoyext.io/gateway-name: other"));
        // Headless: no address to give.
        harness.Server.CreateFromYaml(EnvoyService("envoy-c", "default", "ClusterIP", "None", "    gateway.envoyext.io/gateway-name: headless"));
        // No labels: not an Envoy Service (ProviderHarness's backend "app" too).
        harness.Server.CreateFromYaml(EnvoyService("plain", "default", "ClusterIP", "10.96.0.12", "    app: plain"));

        var snapshot = await harness.NextAsync();
        var addresses = GatewayAddresses.From(snapshot.Resources.Services);

        Assert.Equal(["default/gw", "default/headless", "edge/other"], addresses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([new GatewayAddress("IPAddress", "10.96.0.10")], addresses["default/gw"]);
        Assert.Equal([new GatewayAddress("IPAddress", "10.96.0.11")], addresses["edge/other"]);
        Assert.Empty(addresses["default/headless"]);

        // The load balancer arrives: its ingress replaces the cluster IP.
        harness.Server.Store.Update(harness.Server.Type("Service"), "edge", "envoy-a", statusOnly: true, current =>
        {
            current["status"] = JsonNode.Parse("""{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"},{"hostname":"gw.example.net"}]}}""");
            return current;
        });
        var (updated, _) = await harness.NextWhereAsync(s => s.Resources.Services.Any(v => v.LoadBalancerIngress.Count > 0));
        Assert.Equal(
            [new GatewayAddress("IPAddress", "203.0.113.7"), new GatewayAddress("Hostname", "gw.example.net")],
            GatewayAddresses.From(updated.Resources.Services)["default/gw"]);
    }

    [Fact]
    public async Task TheWriterPutsTheAddressesOnTheGatewayAndFollowsTheService()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(EnvoyService("envoy", "default", "LoadBalancer", "10.96.0.20", GwLabels));
        using var kubeconfig = new KubeconfigFile(harness.Server.Address);
        using var api = new KubernetesApi(kubeconfig.Path);
        var writer = new StatusWriter(api, NullLogger.Instance);
        var kubectl = new Kubectl(kubeconfig);
        async Task<string> AddressesAsync()
        {
            var get = await kubectl.RunAsync(null, "get", "gateway", "gw", "-o", "jsonpath={range .status.addresses[*]}{.type}={.value} {end}");
            Assert.True(get.ExitCode == 0, get.ToString());
            return get.Stdout.Trim();
        }

        var first = await harness.NextAsync();
        await writer.WriteAsync(GatewayApiTranslator.Translate(first.Resources).Status, GatewayAddresses.From(first.Resources.Services), CancellationToken.None);
        Assert.Equal("IPAddress=10.96.0.20", await AddressesAsync());
        var puts = harness.Server.Requests("PUT Gateway/status");

        harness.Server.Store.Update(harness.Server.Type("Service"), "default", "envoy", statusOnly: true, current =>
        {
            current["status"] = JsonNode.Parse("""{"loadBalancer":{"ingress":[{"hostname":"lb.example.net"}]}}""");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.Services.Any(v => v.LoadBalancerIngress.Count > 0));
        await writer.WriteAsync(GatewayApiTranslator.Translate(changed.Resources).Status, GatewayAddresses.From(changed.Resources.Services), CancellationToken.None);
        Assert.Equal("Hostname=lb.example.net", await AddressesAsync());
        Assert.Equal(puts + 1, harness.Server.Requests("PUT Gateway/status"));

        // The Service goes away: the Gateway no longer claims an address.
        harness.Server.Store.Delete(harness.Server.Type("Service"), "default", "envoy");
        var (gone, _) = await harness.NextWhereAsync(s => s.Resources.Services.All(v => v.Metadata.Name != "envoy"));
        await writer.WriteAsync(GatewayApiTranslator.Translate(gone.Resources).Status, GatewayAddresses.From(gone.Resources.Services), CancellationToken.None);
        Assert.Equal("", await AddressesAsync());
    }
}
