using EnvoyExt.ControlPlane.GatewayApi.Status;
using static EnvoyExt.ControlPlane.Tests.Policies.PolicyScenario;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>Defaults and overrides across gateway, listener, route and rule; ties and conflicts.</summary>
public sealed class PolicyPrecedenceTests
{
    private const int Orders = 0;
    private const int Health = 1;
    private const int CatchAll = 2;

    private static string Rule(string name, int requests, string unit = "Second") =>
        $"{{ name: {name}, limit: {{ requests: {requests}, unit: {unit} }} }}";

    [Fact]
    public void NoPolicyMeansNoConfigAnywhere()
    {
        var result = new PolicyScenario().Translate();

        Assert.Null(result.RouteConfig(8080, Orders));
        Assert.Null(result.ListenerConfig(8080));
    }

    [Fact]
    public void GatewayDefaultsReachEveryRouteOnEveryListener()
    {
        var result = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: $"{{ rules: [{Rule("global", 100)}] }}")
            .Translate();

        var expected = """{"name":"default/gw","rules":[{"name":"global","limit":{"requests":100,"unit":"Second"}}]}""";
        Assert.Equal(expected, result.RouteConfig(8080, Orders));
        Assert.Equal(expected, result.RouteConfig(9090, CatchAll));
        Assert.Equal(expected, result.ListenerConfig(8080));
    }

    [Fact]
    public void ListenerPolicyAppliesOnlyToItsListener()
    {
        var result = new PolicyScenario()
            .Policy("internal", Gateway("internal"), defaults: $"{{ rules: [{Rule("internal", 5)}] }}")
            .Translate();

        Assert.Null(result.RouteConfig(8080, Orders));
        Assert.Contains("\"internal\"", result.RouteConfig(9090, Orders), StringComparison.Ordinal);
        Assert.Null(result.ListenerConfig(8080));
        Assert.NotNull(result.ListenerConfig(9090));
    }

    [Fact]
    public void MoreSpecificDefaultsRefineFieldByFieldInsteadOfReplacing()
    {
        var result = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: $"{{ rules: [{Rule("global", 100)}], response: {{ retryAfter: true, statusCode: 429 }} }}")
            .Policy("listener", Gateway("public"), defaults: "{ response: { statusCode: 503 } }")
            .Policy("route", Route(), defaults: $"{{ rules: [{Rule("route", 20)}] }}")
            .Policy("rule", Route("orders"), defaults: $"{{ rules: [{Rule("global", 10)}] }}")
            .Translate();

        // Rule: "global" replaced by name (10/s), the route's rule kept, listener's status code kept.
        Assert.Equal(
            """{"name":"default/rule","rules":[{"name":"global","limit":{"requests":10,"unit":"Second"}},{"name":"route","limit":{"requests":20,"unit":"Second"}}],"response":{"statusCode":503,"retryAfter":true}}""",
            result.RouteConfig(8080, Orders));

        // Another rule of the same route: no rule policy, gateway's 100/s still there.
        Assert.Equal(
            """{"name":"default/route","rules":[{"name":"global","limit":{"requests":100,"unit":"Second"}},{"name":"route","limit":{"requests":20,"unit":"Second"}}],"response":{"statusCode":503,"retryAfter":true}}""",
            result.RouteConfig(8080, CatchAll));

        // The other listener does not see the "public" listener's status code.
        Assert.Contains("\"statusCode\":429", result.RouteConfig(9090, CatchAll), StringComparison.Ordinal);
    }

    [Fact]
    public void GatewayOverrideWinsOverRouteAndRuleDefaults()
    {
        var result = new PolicyScenario()
            .Policy("platform", Gateway(), overrides: $"{{ rules: [{Rule("global", 100)}] }}")
            .Policy("route", Route(), defaults: $"{{ rules: [{Rule("global", 100000)}, {Rule("mine", 7)}] }}")
            .Translate();

        var config = result.RouteConfig(8080, Orders)!;
        Assert.Contains("""{"name":"global","limit":{"requests":100,"unit":"Second"}}""", config, StringComparison.Ordinal);
        Assert.DoesNotContain("100000", config, StringComparison.Ordinal);
        Assert.Contains("\"mine\"", config, StringComparison.Ordinal);

        var routeConditions = result.PolicyConditions("route");
        Assert.Contains(routeConditions, c => c is { Type: "Overridden", Status: "True" } && c.Message.Contains("default/platform", StringComparison.Ordinal));
        Assert.Contains(routeConditions, c => c is { Type: "Accepted", Status: "True" });
    }

    [Fact]
    public void LessSpecificOverrideBeatsMoreSpecificOverride()
    {
        var result = new PolicyScenario()
            .Policy("platform", Gateway(), overrides: "{ response: { statusCode: 429 } }")
            .Policy("listener", Gateway("public"), overrides: $"{{ rules: [{Rule("l", 1)}], response: {{ statusCode: 503 }} }}")
            .Translate();

        var config = result.RouteConfig(8080, Orders)!;
        Assert.Contains("\"statusCode\":429", config, StringComparison.Ordinal);
        Assert.Contains("\"l\"", config, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleCanOptOutOfDefaultsButNotOfOverrides()
    {
        var exempt = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: $"{{ rules: [{Rule("global", 100)}] }}")
            .Policy("health", Route("health"), defaults: "{ disabled: true }")
            .Translate();
        Assert.Null(exempt.RouteConfig(8080, Health));
        Assert.NotNull(exempt.RouteConfig(8080, Orders));

        var enforced = new PolicyScenario()
            .Policy("gw", Gateway(), overrides: $"{{ rules: [{Rule("global", 100)}] }}")
            .Policy("health", Route("health"), defaults: "{ disabled: true }")
            .Translate();
        Assert.Contains("\"global\"", enforced.RouteConfig(8080, Health), StringComparison.Ordinal);
    }

    [Fact]
    public void OldestPolicyWinsATieAndTheOtherIsConflicted()
    {
        var result = new PolicyScenario()
            .Policy("newer", Route(), defaults: $"{{ rules: [{Rule("r", 1)}] }}", created: "2026-05-01T00:00:00Z")
            .Policy("older", Route(), defaults: $"{{ rules: [{Rule("r", 2)}] }}", created: "2026-04-01T00:00:00Z")
            .Translate();

        Assert.Contains("\"requests\":2", result.RouteConfig(8080, Orders), StringComparison.Ordinal);
        var loser = Assert.Single(result.PolicyConditions("newer"));
        Assert.Equal(("Accepted", "False", Reasons.Conflicted), (loser.Type, loser.Status, loser.Reason));
        Assert.Contains("default/older", loser.Message, StringComparison.Ordinal);
        Assert.Equal("True", Assert.Single(result.PolicyConditions("older")).Status);
    }

    [Fact]
    public void TieWithoutTimestampsIsBrokenByName()
    {
        var result = new PolicyScenario()
            .Policy("zeta", Gateway("public"), defaults: $"{{ rules: [{Rule("r", 1)}] }}")
            .Policy("alpha", Gateway("public"), defaults: $"{{ rules: [{Rule("r", 2)}] }}")
            .Translate();

        Assert.Contains("\"requests\":2", result.RouteConfig(8080, Orders), StringComparison.Ordinal);
        Assert.Equal(Reasons.Conflicted, Assert.Single(result.PolicyConditions("zeta")).Reason);
    }

    [Fact]
    public void PoliciesAtDifferentLevelsDoNotConflict()
    {
        var result = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: $"{{ rules: [{Rule("a", 1)}] }}")
            .Policy("listener", Gateway("public"), defaults: $"{{ rules: [{Rule("b", 1)}] }}")
            .Policy("route", Route(), defaults: $"{{ rules: [{Rule("c", 1)}] }}")
            .Policy("rule", Route("orders"), defaults: $"{{ rules: [{Rule("d", 1)}] }}")
            .Translate();

        Assert.All(result.Status.Policies.SelectMany(p => p.Ancestors).SelectMany(a => a.Conditions).Where(c => c.Type == "Accepted"),
            c => Assert.Equal("True", c.Status));
        var config = result.RouteConfig(8080, Orders)!;
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            Assert.Contains($"\"name\":\"{name}\"", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InvalidPolicyIsReportedAndIgnored()
    {
        var result = new PolicyScenario()
            .Policy("bad", Route(), defaults: "{ rules: [{ limit: { requests: -5, unit: Second } }] }")
            .Translate();

        Assert.Null(result.RouteConfig(8080, Orders));
        var condition = Assert.Single(result.PolicyConditions("bad"));
        Assert.Equal(Reasons.Invalid, condition.Reason);
        Assert.StartsWith("spec.defaults.rateLimit.rules[0].limit.requests", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergedDocumentThatBreaksALimitIsReportedOnTheMostSpecificPolicy()
    {
        // 40 + 40 rules are valid alone but exceed the filter's 64 together.
        static string Many(string prefix) => "{ rules: [" + string.Join(", ", Enumerable.Range(0, 40).Select(i => Rule($"{prefix}{i}", 1))) + "] }";
        var result = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: Many("g"))
            .Policy("route", Route(), defaults: Many("r"))
            .Translate();

        Assert.Null(result.RouteConfig(8080, Orders));
        Assert.Contains(result.PolicyConditions("route"), c => c.Reason == Reasons.Invalid && c.Message.Contains("merged", StringComparison.Ordinal));
        Assert.NotNull(result.ListenerConfig(8080));
    }

    [Fact]
    public void MissingTargetsAreReported()
    {
        var result = new PolicyScenario()
            .Policy("p", "{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: api, sectionName: nope }",
                defaults: $"{{ rules: [{Rule("r", 1)}] }}")
            .Translate();

        var condition = Assert.Single(result.PolicyConditions("p"));
        Assert.Equal(Reasons.TargetNotFound, condition.Reason);
        Assert.Null(result.RouteConfig(8080, Orders));
    }
}
