using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Policies;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using static EnvoyExt.ControlPlane.Tests.Policies.PolicyScenario;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>A second policy kind plugs into the same attachment engine as RateLimitPolicy.</summary>
public sealed class SecondPolicyKindTests
{
    private static readonly PolicyTargetReference GatewayTarget = new(GroupNames.GatewayApi, "Gateway", "gw", null);
    private static readonly PolicyTargetReference RouteTarget = new(GroupNames.GatewayApi, "HTTPRoute", "api", null);
    private static readonly PolicyTargetReference OrdersRule = new(GroupNames.GatewayApi, "HTTPRoute", "api", "orders");

    private static TranslationResult Translate(PolicyScenario scenario, params HeaderPolicy[] policies) =>
        GatewayApiTranslator.Translate(scenario.Resources(policies), [.. PolicyKinds.All, new HeaderPolicyKind()]);

    private static HeaderFeature? Feature(TranslationResult result, int port, int rule) =>
        result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == port)
            .VirtualHosts.SelectMany(v => v.Routes)
            .Single(r => r.Name == $"httproute/default/api/rule/{rule}/match/0")
            .Filters.Get(HeaderPolicyKind.Key);

    private static IReadOnlyList<Condition> Conditions(TranslationResult result, string kind, string name) =>
        result.Status.Policies.Single(p => p.Kind == kind && p.Name == name).Ancestors.SelectMany(a => a.Conditions).ToList();

    [Fact]
    public void DefaultsRefineAndAGatewayOverrideWinsThroughTheEngine()
    {
        var result = Translate(new PolicyScenario(),
            HeaderPolicy.Create("platform", GatewayTarget, overrides: HeaderBlock.Of(("x-env", "prod"))),
            HeaderPolicy.Create("team", RouteTarget, defaults: HeaderBlock.Of(("x-env", "dev"), ("x-team", "api"))),
            HeaderPolicy.Create("orders", OrdersRule, defaults: HeaderBlock.Of(("x-team", "orders"))));

        Assert.Equal(new Dictionary<string, string> { ["x-env"] = "prod", ["x-team"] = "orders" }, Feature(result, 8080, 0)!.Headers);
        Assert.Equal(new Dictionary<string, string> { ["x-env"] = "prod", ["x-team"] = "api" }, Feature(result, 8080, 2)!.Headers);
        Assert.Contains(Conditions(result, "HeaderPolicy", "team"),
            c => c is { Type: "Overridden", Status: "True" } && c.Message.Contains("default/platform", StringComparison.Ordinal));
        Assert.Contains(Conditions(result, "HeaderPolicy", "platform"), c => c is { Type: "Accepted", Status: "True" });
    }

    [Fact]
    public void TheListenerCarriesGatewayLevelFeaturesOfTheNewKind()
    {
        var result = Translate(new PolicyScenario(), HeaderPolicy.Create("platform", GatewayTarget, defaults: HeaderBlock.Of(("x-env", "prod"))));

        var listener = result.Ir.Gateways["default/gw"].HttpListeners.Single(l => l.Port == 9090);
        Assert.Equal("prod", listener.Filters.Get(HeaderPolicyKind.Key)!.Headers["x-env"]);
    }

    [Fact]
    public void BothKindsAttachSideBySideOnOneRoute()
    {
        var scenario = new PolicyScenario()
            .Policy("limits", Gateway(), defaults: "{ rules: [{ name: all, limit: { requests: 5, unit: Second } }] }");
        var result = Translate(scenario, HeaderPolicy.Create("headers", RouteTarget, defaults: HeaderBlock.Of(("x-a", "1"))));

        Assert.NotNull(Feature(result, 8080, 0));
        Assert.Contains("\"all\"", result.RouteConfig(8080, 0), StringComparison.Ordinal);
        Assert.Equal(["HeaderPolicy", "RateLimitPolicy"], result.Status.Policies.Select(p => p.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ConflictsTargetsAndValidationComeFromTheEngine()
    {
        var result = Translate(new PolicyScenario(),
            HeaderPolicy.Create("newer", RouteTarget, defaults: HeaderBlock.Of(("x-a", "new")), created: DateTimeOffset.Parse("2026-05-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            HeaderPolicy.Create("older", RouteTarget, defaults: HeaderBlock.Of(("x-a", "old")), created: DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            HeaderPolicy.Create("missing", new PolicyTargetReference(GroupNames.GatewayApi, "HTTPRoute", "nope", null), defaults: HeaderBlock.Of(("x-a", "1"))),
            HeaderPolicy.Create("too-many", RouteTarget, defaults: HeaderBlock.Of(("a", "1"), ("b", "1"), ("c", "1"), ("d", "1"))));

        Assert.Equal("old", Feature(result, 8080, 0)!.Headers["x-a"]);
        var conflicted = Assert.Single(Conditions(result, "HeaderPolicy", "newer"));
        Assert.Equal(Reasons.Conflicted, conflicted.Reason);
        Assert.Contains("already attaches a HeaderPolicy", conflicted.Message, StringComparison.Ordinal);
        Assert.Equal(Reasons.TargetNotFound, Assert.Single(Conditions(result, "HeaderPolicy", "missing")).Reason);
        var invalid = Assert.Single(Conditions(result, "HeaderPolicy", "too-many"));
        Assert.Equal((Reasons.Invalid, "spec.defaults.headers: at most 3 headers (got 4)"), (invalid.Reason, invalid.Message));
    }

    [Fact]
    public void AMergeOverTheKindsLimitServesTheOverrideAndRejectsTheWeakerPolicy()
    {
        var result = Translate(new PolicyScenario(),
            HeaderPolicy.Create("platform", GatewayTarget, overrides: HeaderBlock.Of(("x-env", "prod"), ("x-region", "eu"))),
            HeaderPolicy.Create("team", RouteTarget, defaults: HeaderBlock.Of(("x-team", "api"), ("x-tier", "gold"))));

        Assert.Equal(new Dictionary<string, string> { ["x-env"] = "prod", ["x-region"] = "eu" }, Feature(result, 8080, 0)!.Headers);
        var team = Assert.Single(Conditions(result, "HeaderPolicy", "team"), c => c.Type == "Accepted");
        Assert.Equal(("False", Reasons.Invalid), (team.Status, team.Reason));
        Assert.Contains("spec.defaults.headers is not in force", team.Message, StringComparison.Ordinal);
        Assert.All(Conditions(result, "HeaderPolicy", "platform").Where(c => c.Type == "Accepted"), c => Assert.Equal("True", c.Status));
    }
}
