using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit.Tests.Support;

/// <summary>Builds compiled policies from contract JSON and runs decisions the way the filter does.</summary>
internal static class Policies
{
    public static CompiledPolicy Compile(string json, FakeClock clock)
    {
        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out var config, out string? error), error);
        return PolicyCompiler.Compile(config!, clock);
    }

    /// <summary>A one-rule policy whose rule has the given selector JSON and a limit of 1 request per hour.</summary>
    public static CompiledPolicy OneRule(string selectorJson, FakeClock clock) =>
        Compile("""{"rules":[{"clientSelectors":[""" + selectorJson + """],"limit":{"requests":1,"unit":"Hour"}}]}""", clock);

    public static RateLimitDecision Decide(CompiledPolicy policy, FakeRequest request) => Decide(policy, request, out _);

    public static RateLimitDecision Decide(CompiledPolicy policy, FakeRequest request, out RuleResult[] results)
    {
        results = new RuleResult[policy.Rules.Length];
        return policy.Decide(in request, results);
    }

    /// <summary>Whether the single rule matched this request (it counts as Allowed or Limited only when matched).</summary>
    public static bool Matches(CompiledPolicy policy, FakeRequest request)
    {
        Decide(policy, request, out var results);
        return results[0].Outcome != RuleOutcome.NotCounted;
    }
}
