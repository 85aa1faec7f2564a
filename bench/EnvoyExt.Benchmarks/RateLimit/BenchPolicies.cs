using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

internal static class BenchPolicies
{
    /// <summary>Large enough (per second) that a benchmark never runs a bucket dry: we measure the allowed path.</summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>
    /// A typical policy: the contract's example plus a method and a path rule; every rule matches the benchmark
    /// requests (POST /api/..., x-user, x-client: mobile-...).
    /// </summary>
    public static readonly string FourRules = $$"""
        {
          "name": "default/api",
          "rules": [
            { "name": "per-user", "clientSelectors": [ { "headers": [ { "name": "x-user", "type": "Distinct" } ] } ],
              "limit": { "requests": {{Unlimited}}, "unit": "Minute" } },
            { "name": "writes", "clientSelectors": [ { "methods": [ { "value": "POST" }, { "value": "PUT" }, { "value": "DELETE" } ],
                                                       "path": { "type": "PathPrefix", "value": "/api" } } ],
              "limit": { "requests": {{Unlimited}}, "unit": "Second" } },
            { "name": "mobile", "clientSelectors": [ { "headers": [ { "name": "x-client", "type": "RegularExpression", "value": "mobile-.*" } ] } ],
              "limit": { "requests": {{Unlimited}}, "unit": "Hour" } },
            { "name": "everyone", "limit": { "requests": {{Unlimited}}, "unit": "Second" } }
          ],
          "response": { "rateLimitHeaders": true, "retryAfter": true }
        }
        """;

    public static CompiledPolicy Compile(string json)
    {
        if (!RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out var config, out string? error))
        {
            throw new InvalidOperationException(error);
        }
        return PolicyCompiler.Compile(config!, MonotonicClock.Instance);
    }

    /// <summary>A policy with one rule (limit never reached) whose only selector is <paramref name="selectorJson"/>.</summary>
    public static CompiledPolicy OneSelector(string selectorJson) =>
        Compile("""{"rules":[{"clientSelectors":[""" + selectorJson + """],"limit":{"requests":""" + Unlimited + ""","unit":"Second"}}]}""");
}
