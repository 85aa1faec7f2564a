using System.Text;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;
using EnvoyExt.ControlPlane.Tests.Providers;

namespace EnvoyExt.ControlPlane.Tests.Hostile;

/// <summary>Standalone mode refuses what the API server would refuse under the CRDs' maxItems / maxLength, naming the field.</summary>
public sealed class CrdBoundsTests
{
    private static string RouteWithRules(int rules, int matchesPerRule) => RouteWith(rule =>
    {
        var text = new StringBuilder("    - matches:\n");
        for (var m = 0; m < matchesPerRule; m++)
        {
            text.Append($"        - path: {{ type: PathPrefix, value: /r{rule}m{m} }}\n");
        }
        text.Append("      backendRefs: [{ name: app, port: 8080 }]\n");
        return text.ToString();
    }, rules);

    private static string RouteWith(Func<int, string> rule, int rules)
    {
        var text = new StringBuilder("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  parentRefs: [{ name: gw }]\n  rules:\n");
        for (var i = 0; i < rules; i++)
        {
            text.Append(rule(i));
        }
        return text.ToString();
    }

    private static ResourceReadException Refused(string yaml) => Assert.Throws<ResourceReadException>(() => ResourceFileReader.Read("r.yaml", yaml));

    [Fact]
    public void RulesPerRouteUpToTheLimitAreRead()
    {
        var route = Assert.IsType<HttpRoute>(Assert.Single(ResourceFileReader.Read("r.yaml", RouteWithRules(16, 8)).Resources));

        Assert.Equal(16, route.Rules.Count);
    }

    [Fact]
    public void SeventeenRulesAreRefused()
    {
        var error = Refused(RouteWithRules(17, 1));

        Assert.Equal("spec.rules", error.Field);
        Assert.Contains("at most 16 items are allowed (got 17)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchesPerRuleAreBounded()
    {
        var error = Refused(RouteWithRules(1, 65));

        Assert.Equal("spec.rules[0].matches", error.Field);
    }

    [Fact]
    public void MatchesAcrossAllRulesAreBoundedAsTheCelRuleSays()
    {
        var error = Refused(RouteWithRules(16, 9));

        Assert.Equal("spec.rules", error.Field);
        Assert.Contains("at most 128 matches across all rules are allowed (got 144)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderMatchValueLengthIsBounded()
    {
        var yaml = RouteWith(_ => $"    - matches:\n        - headers:\n            - {{ name: x-a, value: {new string('v', 4097)} }}\n", 1);

        var error = Refused(yaml);

        Assert.Equal("spec.rules[0].matches[0].headers[0].value", error.Field);
        Assert.Contains("at most 4096 characters are allowed (got 4097)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackendRefsFiltersAndHostnamesAreBounded()
    {
        var backends = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"{{ name: s{i}, port: 80 }}"));
        Assert.Equal("spec.rules[0].backendRefs", Refused(RouteWith(_ => $"    - backendRefs: [{backends}]\n", 1)).Field);

        var filters = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"{{ type: RequestHeaderModifier, requestHeaderModifier: {{ remove: [x-{i}] }} }}"));
        Assert.Equal("spec.rules[0].filters", Refused(RouteWith(_ => $"    - filters: [{filters}]\n", 1)).Field);

        var hostnames = Manifests.Route("r").Replace("  parentRefs:", $"  hostnames: [{string.Join(", ", Enumerable.Range(0, 17).Select(i => $"h{i}.example.com"))}]\n  parentRefs:", StringComparison.Ordinal);
        Assert.Equal("spec.hostnames", Refused(hostnames).Field);

        var longHost = Manifests.Route("r").Replace("  parentRefs:", $"  hostnames: [{new string('a', 254)}]\n  parentRefs:", StringComparison.Ordinal);
        Assert.Equal("spec.hostnames[0]", Refused(longHost).Field);
    }

    [Fact]
    public void ListenersPerGatewayAreBounded()
    {
        var listeners = string.Join("", Enumerable.Range(0, 65).Select(i => $"    - {{ name: l{i}, port: {8000 + i}, protocol: HTTP }}\n"));
        var yaml = $"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: envoyext\n  listeners:\n{listeners}";

        Assert.Equal("spec.listeners", Refused(yaml).Field);
    }

    [Fact]
    public void RateLimitPolicyFollowsItsCrd()
    {
        const string Head = "apiVersion: gateway.envoyext.io/v1alpha1\nkind: RateLimitPolicy\nmetadata:\n  name: p\nspec:\n";
        var targets = string.Join(", ", Enumerable.Range(0, 17).Select(i => $"{{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: r{i} }}"));
        Assert.Equal("spec.targetRefs", Refused($"{Head}  targetRefs: [{targets}]\n  defaults: {{ rateLimit: {{ rules: [] }} }}\n").Field);

        var rules = string.Join(", ", Enumerable.Range(0, 65).Select(i => $"{{ name: r{i}, limit: {{ requests: 1, unit: Second }} }}"));
        var error = Refused($"{Head}  targetRefs: [{{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }}]\n  overrides:\n    rateLimit:\n      rules: [{rules}]\n");
        Assert.Equal("spec.overrides.rateLimit.rules", error.Field);
        Assert.Contains("at most 64 items", error.Message, StringComparison.Ordinal);

        var body = Refused($"{Head}  targetRefs: [{{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }}]\n  defaults:\n    rateLimit:\n      response: {{ body: {new string('b', 65537)} }}\n");
        Assert.Equal("spec.defaults.rateLimit.response.body", body.Field);

        var shared = Refused($"{Head}  targetRefs: [{{ group: gateway.networking.k8s.io, kind: Gateway, name: gw }}]\n  defaults:\n    rateLimit:\n      rules: [{{ shared: {new string('s', 129)}, limit: {{ requests: 1, unit: Second }} }}]\n");
        Assert.Equal("spec.defaults.rateLimit.rules[0].shared", shared.Field);
    }

    [Fact]
    public void MetadataNameLengthIsBounded()
    {
        Assert.Equal("metadata.name", Refused(Manifests.Route(new string('n', 254))).Field);
    }
}
