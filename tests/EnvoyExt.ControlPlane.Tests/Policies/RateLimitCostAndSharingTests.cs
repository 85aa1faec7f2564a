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

    private static string DatedPolicy(string name, string created, string kind, string target, string rules) => $"""
        apiVersion: gateway.envoyext.io/v1alpha1
        kind: RateLimitPolicy
        metadata: {"{"} name: {name}, namespace: default, creationTimestamp: "{created}" {"}"}
        spec:
          targetRefs: [{"{"} group: gateway.networking.k8s.io, kind: {kind}, name: {target} {"}"}]
          defaults:
            rateLimit:
              rules:
        {rules}
        """;

    private static string SharedRule(string name, long requests) => $$"""
                - name: {{name}}
                  shared: org-quota
                  limit: { requests: {{requests}}, unit: Hour }
        """;

    private const string PerUserRule = """
                - name: per-user
                  clientSelectors: [{ headers: [{ name: x-user, type: Distinct }] }]
                  limit: { requests: 10, unit: Second }
        """;

    private static RateLimitConfig? ListenerDocument(TranslationResult result) =>
        result.Ir.Gateways["default/gw"].HttpListeners.Single().Filters.Get(IrFeatures.RateLimit);

    [Fact]
    public void A_newer_policy_using_a_shared_name_with_another_limit_is_invalid_and_its_rule_is_not_served()
    {
        // The names sort the other way round: age decides, not the name.
        var result = Translate(Base,
            DatedPolicy("z-older", "2026-01-01T00:00:00Z", "HTTPRoute", "chat", SharedRule("tokens", 100000)),
            DatedPolicy("a-newer", "2026-02-01T00:00:00Z", "HTTPRoute", "embed", PerUserRule + "\n" + SharedRule("tokens", 5)));

        Assert.Equal("True", Accepted(result, "z-older").Status);
        var accepted = Accepted(result, "a-newer");
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.Equal(
            "default/gw/http: spec.defaults.rateLimit.rules[1].shared: \"org-quota\" is also used by default/z-older " +
            "(spec.defaults.rateLimit.rules[0], Local, 100000 per Hour) with a different limit; the older definition is kept " +
            "and this rule is not served on this listener",
            accepted.Message);

        // The older definition is served as written; the newer policy's other rule is still served.
        Assert.Equal(100000, RouteDocument(result, "chat")!.Rules!.Single().Limit!.Requests);
        Assert.Equal(["per-user"], RouteDocument(result, "embed")!.Rules!.Select(r => r.Name));
    }

    [Fact]
    public void Policies_agreeing_on_a_shared_name_are_all_served()
    {
        var result = Translate(Base,
            DatedPolicy("older", "2026-01-01T00:00:00Z", "HTTPRoute", "chat", SharedRule("tokens", 100000)),
            DatedPolicy("newer", "2026-02-01T00:00:00Z", "HTTPRoute", "embed", SharedRule("quota", 100000)));

        Assert.Equal("True", Accepted(result, "older").Status);
        Assert.Equal("True", Accepted(result, "newer").Status);
        Assert.Equal("quota", RouteDocument(result, "embed")!.Rules!.Single().Name);
    }

    [Fact]
    public void A_newer_route_policy_replacing_an_inherited_shared_rule_with_another_limit_loses_that_rule()
    {
        var result = Translate(Base,
            DatedPolicy("platform", "2026-01-01T00:00:00Z", "Gateway", "gw", PerUserRule + "\n" + SharedRule("tokens", 100000)),
            DatedPolicy("embed-tight", "2026-02-01T00:00:00Z", "HTTPRoute", "embed", SharedRule("tokens", 5)));

        Assert.Equal("True", Accepted(result, "platform").Status);
        var accepted = Accepted(result, "embed-tight");
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.Contains("spec.defaults.rateLimit.rules[0].shared: \"org-quota\" is also used by default/platform", accepted.Message, StringComparison.Ordinal);
        Assert.Equal(["per-user", "tokens"], ListenerDocument(result)!.Rules!.Select(r => r.Name));
        Assert.Equal(["per-user", "tokens"], RouteDocument(result, "chat")!.Rules!.Select(r => r.Name));
        // The rule replaced the inherited one by name; left out, it leaves neither (the status says why).
        Assert.Equal(["per-user"], RouteDocument(result, "embed")!.Rules!.Select(r => r.Name));
    }

    [Fact]
    public void A_newer_gateway_policy_loses_its_conflicting_rule_on_the_listener_and_on_every_route_it_reaches()
    {
        var result = Translate(Base,
            DatedPolicy("embed-tight", "2026-01-01T00:00:00Z", "HTTPRoute", "embed", SharedRule("tokens", 5)),
            DatedPolicy("platform", "2026-02-01T00:00:00Z", "Gateway", "gw", PerUserRule + "\n" + SharedRule("tokens", 100000)));

        Assert.Equal("True", Accepted(result, "embed-tight").Status);
        var accepted = Accepted(result, "platform");
        Assert.Equal(("False", Reasons.Invalid), (accepted.Status, accepted.Reason));
        Assert.Contains("spec.defaults.rateLimit.rules[1].shared: \"org-quota\" is also used by default/embed-tight", accepted.Message, StringComparison.Ordinal);
        Assert.Equal(["per-user"], ListenerDocument(result)!.Rules!.Select(r => r.Name));
        Assert.Equal(["per-user"], RouteDocument(result, "chat")!.Rules!.Select(r => r.Name));
        Assert.Equal(5, RouteDocument(result, "embed")!.Rules!.Single(r => r.Name == "tokens").Limit!.Requests);
    }

    [Fact]
    public void Without_timestamps_the_policy_first_by_namespace_and_name_defines_a_shared_name()
    {
        var result = Translate(Base,
            Policy("b-embed", "embed", SharedRule("tokens", 5)),
            Policy("a-chat", "chat", SharedRule("tokens", 100000)));

        Assert.Equal("True", Accepted(result, "a-chat").Status);
        Assert.Equal("False", Accepted(result, "b-embed").Status);
        Assert.Empty(RouteDocument(result, "embed")!.Rules!);
    }
}
