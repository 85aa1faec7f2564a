using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes;

/// <summary>
/// EnvoyExtParameters through the Kubernetes provider: the informer delivers them, a GatewayClass's
/// parametersRef resolves to them, and a change to the object reaches the next translation.
/// </summary>
public sealed class ParametersInformerTests
{
    private const string Parameters = """
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: EnvoyExtParameters
        metadata: { name: redis, namespace: default }
        spec:
          rateLimit:
            redis: { addresses: ["redis-a:6379"] }
        """;

    private const string GlobalPolicy = """
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: RateLimitPolicy
        metadata: { name: global, namespace: default }
        spec:
          targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }]
          defaults:
            rateLimit:
              rules: [{ name: everyone, type: Global, limit: { requests: 100, unit: Second } }]
        """;

    [Fact]
    public async Task ParametersFlowFromTheInformerToTheListenersRedis()
    {
        await using var harness = await ProviderHarness.StartAsync();
        harness.Server.CreateFromYaml(Parameters);
        harness.Server.Store.Update(harness.Server.Type("GatewayClass"), "", "envoyext", statusOnly: false, current =>
        {
            current["spec"]!["parametersRef"] = new JsonObject
            {
                ["group"] = "gateway.envoyext.io",
                ["kind"] = "EnvoyExtParameters",
                ["name"] = "redis",
                ["namespace"] = "default",
            };
            return current;
        });
        harness.Server.CreateFromYaml(GlobalPolicy);

        var (first, _) = await harness.NextWhereAsync(s => s.Resources.Parameters.Count == 1 && s.Resources.Policies.Count == 1 &&
            s.Resources.GatewayClasses.Any(c => c.ParametersRef is not null));
        Assert.Equal(["redis-a:6379"], Addresses(GatewayApiTranslator.Translate(first.Resources)));

        harness.Server.Store.Update(harness.Server.Type("EnvoyExtParameters"), "default", "redis", statusOnly: false, current =>
        {
            current["spec"]!["rateLimit"]!["redis"]!["addresses"] = new JsonArray("redis-b:6380");
            return current;
        });
        var (changed, _) = await harness.NextWhereAsync(s => s.Resources.Parameters.SingleOrDefault()?.RateLimit?.Addresses[0] == "redis-b:6380");
        Assert.Equal(["redis-b:6380"], Addresses(GatewayApiTranslator.Translate(changed.Resources)));
    }

    private static IReadOnlyList<string> Addresses(TranslationResult result)
    {
        Assert.Equal(Reasons.Accepted, result.Status.GatewayClasses.Single().Conditions.Single().Reason);
        var listener = result.Ir.Gateways.Values.Single().HttpListeners.First();
        return listener.Filters.Get(IrFeatures.RateLimitBackend)!.Settings.Redis!.Addresses!;
    }
}
