using BenchmarkDotNet.Attributes;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// A Global rule whose bucket holds leased tokens (the hot path: one CAS, no Redis) against the same rule Local.
/// Goal: within 10 % of Local and 0 bytes per decision. The bucket is seeded with 2^31 - 1 tokens of the current
/// window (a Year), far more than a run spends, so no decision ever waits for a lease. The third case is the
/// separate-service design: one Redis round trip (the same lease script, to a redis-server on loopback started
/// here) per request.
/// </summary>
[MemoryDiagnoser]
public class GlobalDecisionBenchmarks
{
    private const string Rule = """
        "clientSelectors":[{"headers":[{"name":"x-user","type":"Exact","value":"alice"}]}],"limit":{"requests":2147483647,"unit":"Year"}
        """;

    private readonly BenchRequest _request = new("GET", "/api/orders", "10.20.30.40:51234",
        (":authority", "example.com"), ("x-user", "alice"));
    private readonly RuleResult[] _results = new RuleResult[1];
    private CompiledPolicy _local = null!;
    private CompiledPolicy _global = null!;
    private BenchRedis? _redis;

    [GlobalSetup]
    public void Setup()
    {
        _local = BenchPolicies.Compile("""{"rules":[{"name":"r",""" + Rule + "}]}");
        _global = BenchPolicies.Compile("""{"global":{"redis":{"addresses":["127.0.0.1:1"]}},"rules":[{"name":"r","type":"Global",""" +
            Rule + "}]}");
        var rule = _global.Rules[0].Global!;
        rule.Shared.Publish(rule.WindowOf(rule.NowUnixMs()), int.MaxValue, exhausted: false);
        var progress = default(DecisionProgress);
        _global.Decide(in _request, _results, ref progress);
        if (progress.Pending is not null)
        {
            throw new InvalidOperationException("the seeded global bucket asked for a lease");
        }
        _redis = new BenchRedis();
    }

    [GlobalCleanup]
    public void Cleanup() => _redis?.Dispose();

    [Benchmark(Baseline = true, Description = "Local rule")]
    public bool Local() => _local.Decide(in _request, _results).Limited;

    [Benchmark(Description = "Global rule, leased tokens available")]
    public bool Global()
    {
        var progress = default(DecisionProgress);
        return _global.Decide(in _request, _results, ref progress).Limited;
    }

    [Benchmark(Description = "Redis round trip per request")]
    public bool RoundTrip() => _redis!.RoundTrip();
}
