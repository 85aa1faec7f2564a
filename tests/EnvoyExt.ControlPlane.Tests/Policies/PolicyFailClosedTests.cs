using EnvoyExt.ControlPlane.GatewayApi.Status;
using static EnvoyExt.ControlPlane.Tests.Policies.PolicyScenario;

namespace EnvoyExt.ControlPlane.Tests.Policies;

/// <summary>
/// docs/policies.md, "Fail closed": a merge that breaks a limit of the filter never switches the
/// filter off where an override applies, and a block that is not in force is never reported Accepted.
/// One test per limit the rate-limit merge can exceed.
/// </summary>
public sealed class PolicyFailClosedTests
{
    private const int Orders = 0;

    private static string Many(string prefix, int count) =>
        "{ rules: [" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"{{ name: {prefix}{i}, limit: {{ requests: 1, unit: Second }} }}")) + "] }";

    private static Condition Accepted(Tests.Policies.PolicyScenario scenario, string policy) =>
        Assert.Single(scenario.Translate().PolicyConditions(policy), c => c.Type == "Accepted");

    [Fact]
    public void RuleLimitExceededByRouteDefaultsAndAGatewayOverrideServesTheOverride()
    {
        var scenario = new PolicyScenario()
            .Policy("platform", Gateway(), overrides: Many("g", 40))
            .Policy("route", Route(), defaults: Many("r", 40));
        var result = scenario.Translate();

        var config = result.RouteConfig(8080, Orders);
        Assert.NotNull(config);
        Assert.DoesNotContain("\"disabled\"", config, StringComparison.Ordinal);
        Assert.Contains("\"g39\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain("\"r0\"", config, StringComparison.Ordinal);

        var route = Accepted(scenario, "route");
        Assert.Equal(("False", Reasons.Invalid), (route.Status, route.Reason));
        Assert.Contains("spec.defaults.rateLimit is not in force", route.Message, StringComparison.Ordinal);
        Assert.Contains("at most 64 rules", route.Message, StringComparison.Ordinal);
        Assert.Equal("True", Accepted(scenario, "platform").Status);
    }

    [Fact]
    public void RuleLimitExceededByTwoOverridesServesTheLeastSpecificOne()
    {
        var scenario = new PolicyScenario()
            .Policy("platform", Gateway(), overrides: Many("g", 40))
            .Policy("listener", Gateway("public"), overrides: Many("l", 40));
        var result = scenario.Translate();

        var config = result.RouteConfig(8080, Orders)!;
        Assert.Contains("\"g0\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain("\"l0\"", config, StringComparison.Ordinal);
        Assert.Equal(Reasons.Invalid, Accepted(scenario, "listener").Reason);
        Assert.Contains("spec.overrides.rateLimit is not in force", Accepted(scenario, "listener").Message, StringComparison.Ordinal);
        Assert.Equal("True", Accepted(scenario, "platform").Status);

        // The other listener has no listener override: the platform's rules alone, nothing left out.
        Assert.Contains("\"g0\"", result.RouteConfig(9090, Orders), StringComparison.Ordinal);
    }

    [Fact]
    public void AWeakerBlockIsLeftOutOnlyAsFarAsNeeded()
    {
        // 30 + 30 + 10 = 70 rules: leaving out the gateway's defaults (30) is enough.
        var scenario = new PolicyScenario()
            .Policy("gw", Gateway(), defaults: Many("g", 30))
            .Policy("route", Route(), defaults: Many("r", 30))
            .Policy("platform", Gateway("public"), overrides: Many("p", 10));
        var config = scenario.Translate().RouteConfig(8080, Orders)!;

        Assert.Contains("\"r29\"", config, StringComparison.Ordinal);
        Assert.Contains("\"p9\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain("\"g0\"", config, StringComparison.Ordinal);
        Assert.Equal(Reasons.Invalid, Accepted(scenario, "gw").Reason);
        Assert.Equal("True", Accepted(scenario, "route").Status);
    }

    [Fact]
    public void NameLimitCannotBeExceededByTheFilledInPolicyName()
    {
        // Namespace/name can be far longer than the filter's 128-character label: the filled-in
        // name is shortened (with a hash, so two long names stay distinct) instead of breaking the merge.
        var longName = new string('a', 200);
        var scenario = new PolicyScenario().Policy(longName, Route(), defaults: Many("r", 1));
        var result = scenario.Translate();

        var config = result.RouteConfig(8080, Orders)!;
        var name = System.Text.Json.JsonDocument.Parse(config).RootElement.GetProperty("name").GetString()!;
        Assert.Equal(128, name.Length);
        Assert.StartsWith("default/aaaa", name, StringComparison.Ordinal);
        Assert.Matches("~[0-9a-f]{8}$", name);
        Assert.Equal("True", Accepted(scenario, longName).Status);
    }
}
