using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

internal static class BenchPolicies
{
    /// <summary>Large enough (per second) that a benchmark never runs a bucket dry: we measure the allowed path.</summary>
    public const int Unlimited = int.MaxValue;

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
