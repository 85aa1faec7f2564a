using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// RateLimitPolicy rules with <c>costFrom</c> (cost read from the response) and <c>shared</c> (one bucket for
/// several routes and policies): they reach the route's rate_limit document as written, and a mistake makes the
/// policy Invalid naming the field.
/// </summary>
public sealed class RateLimitCostAndSharingTests
{
    private const string Base = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: { name: envoyext }
        spec: { controllerName: gateway.envoyext.io/controller }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: { name: gw, namespace: default }
        spec:
          gatewayClassName: envoyext
          listeners: [{ name: http, port: 8080, protocol: HTTP }]
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: llm, namespace: default }
        spec: { ports: [{ port: 80 }] }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: { name: chat, namespace: default }
        spec:
          parentRefs: [{ name: gw }]
          rules: [{ matches: [{ path: { type: PathPrefix, value: /v1/chat } }], backendRefs: [{ name: llm, port: 80 }] }]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: { name: embed, namespace: default }
        spec:
          parentRefs: [{ name: gw }]
          rules: [{ matches: [{ path: { type: PathPrefix, value: /v1/embed } }], backendRefs: [{ name: llm, port: 80 }] }]
        """;

    private static string Policy(string name, string route, string rules) => $"""
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: RateLimitPolicy
        metadata: {"{"} name: {name}, namespace: default {"}"}
        spec:
          targetRefs: [{"{"} group: gateway.networking.k8s.io, kind: HTTPRoute, name: {route} {"}"}]
          defaults:
            rateLimit:
              rules:
        {rules}
        """;

    private const string TokenRule = """
                - name: tokens
                  shared: org-quota
                  clientSelectors: [{ headers: [{ name: x-org, type: Distinct }] }]
                  limit: { requests: 100000, unit: Hour }
                  cost: 0
                  costFrom: { bodyField: usage.total_tokens, maxBodyBytes: 32768 }
        """;

    private static TranslationResult Translate(params string[] documents)
    {
        var read = ResourceFileReader.Read("cost.yaml", string.Join("\n---\n", documents));
        Assert.Empty(read.Warnings);
        return GatewayApiTranslator.Translate(ResourceSet.From(read.Resources, read.Warnings));
    }

    private static RateLimitConfig? RouteDocument(TranslationResult result, string prefix) =>
        result.Ir.Gateways["default/gw"].HttpListeners.Single().VirtualHosts.Single().Routes
            .Single(r => r.Name.Contains(prefix, StringComparison.Ordinal)).Filters.Get(IrFeatures.RateLimit);

    private static Condition Accepted(TranslationResult result, string policy) =>
        result.Status.Policies.Single(p => p.Name == policy).Ancestors.SelectMany(a => a.Conditions).Single(c => c.Type == Reasons.Accepted);

    [Fact]
    public void Cost_sources_and_shared_buckets_reach_each_routes_document()
    {
        var header = TokenRule.Replace("costFrom: { bodyField: usage.total_tokens, maxBodyBytes: 32768 }",
            "costFrom: { header: x-tokens-used }", StringComparison.Ordinal);
        var result = Translate(Base, Policy("chat-tokens", "chat", TokenRule), Policy("embed-tokens", "embed", header));

        Assert.Equal("True", Accepted(result, "chat-tokens").Status);
        Assert.Equal("True", Accepted(result, "embed-tokens").Status);
        var chat = RouteDocument(result, "chat")!;
        var embed = RouteDocument(result, "embed")!;
        Assert.Equal(
            """{"name":"default/chat-tokens","rules":[{"name":"tokens","clientSelectors":[{"headers":[{"name":"x-org","type":"Distinct"}]}],"limit":{"requests":100000,"unit":"Hour"},"cost":0,"costFrom":{"bodyField":"usage.total_tokens","maxBodyBytes":32768},"shared":"org-quota"}]}""",
            RateLimitConfigJson.Serialize(chat));
        Assert.Equal("x-tokens-used", embed.Rules!.Single().CostFrom!.Header);
        // Two policies on two routes name one bucket: the filter charges it for both (per listener).
        Assert.Equal(["org-quota", "org-quota"], new[] { chat, embed }.Select(d => d.Rules!.Single().Shared));
    }

    [Theory]
    [InlineData("costFrom: { header: x-tokens-used, bodyField: usage.total_tokens }", "spec.defaults.rateLimit.rules[0].costFrom: exactly one of header or bodyField")]
    [InlineData("costFrom: { bodyField: usage..total }", "spec.defaults.rateLimit.rules[0].costFrom.bodyField: empty segment in \"usage..total\"")]
    [InlineData("costFrom: { bodyField: usage.total_tokens, maxBodyBytes: 2000000 }", "spec.defaults.rateLimit.rules[0].costFrom.maxBodyBytes: must be between 1 and 1048576 (got 2000000)")]
    public void A_bad_cost_source_makes_the_policy_invalid_naming_the_field(string costFrom, string message)
    {
        var rules = TokenRule.Replace("costFrom: { bodyField: usage.total_tokens, maxBodyBytes: 32768 }", costFrom, StringComparison.Ordinal);
        var result = Translate(Base, Policy("chat-tokens", "chat", rules));

        var accepted = Accepted(result, "chat-tokens");
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.StartsWith(message, accepted.Message, StringComparison.Ordinal);
        Assert.Null(RouteDocument(result, "chat"));
    }

    [Fact]
    public void Rules_of_one_policy_sharing_a_bucket_with_different_limits_are_invalid()
    {
        var second = TokenRule.Replace("name: tokens", "name: tokens-2", StringComparison.Ordinal)
            .Replace("requests: 100000", "requests: 5", StringComparison.Ordinal);
        var result = Translate(Base, Policy("chat-tokens", "chat", TokenRule + "\n" + second));

        var accepted = Accepted(result, "chat-tokens");
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.Equal("spec.defaults.rateLimit.rules[1].shared: \"org-quota\" is also used by rules[0] with a different limit", accepted.Message);
    }
}
