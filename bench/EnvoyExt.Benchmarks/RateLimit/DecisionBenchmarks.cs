using BenchmarkDotNet.Attributes;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// The full decision for a typical policy (the contract's example plus a method and a path rule), against
/// the simplest possible policy (one rule, no selector). Goal: 0 bytes allocated per decision.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly string TypicalConfig = $$"""
        {
          "name": "default/api",
          "rules": [
            { "name": "per-user", "clientSelectors": [ { "headers": [ { "name": "x-user", "type": "Distinct" } ] } ],
              "limit": { "requests": {{BenchPolicies.Unlimited}}, "unit": "Minute" } },
            { "name": "writes", "clientSelectors": [ { "methods": [ { "value": "POST" }, { "value": "PUT" }, { "value": "DELETE" } ],
                                                       "path": { "type": "PathPrefix", "value": "/api" } } ],
              "limit": { "requests": {{BenchPolicies.Unlimited}}, "unit": "Second" } },
            { "name": "mobile", "clientSelectors": [ { "headers": [ { "name": "x-client", "type": "RegularExpression", "value": "mobile-.*" } ] } ],
              "limit": { "requests": {{BenchPolicies.Unlimited}}, "unit": "Hour" } },
            { "name": "everyone", "limit": { "requests": {{BenchPolicies.Unlimited}}, "unit": "Second" } }
          ],
          "response": { "rateLimitHeaders": true, "retryAfter": true }
        }
        """;

    private readonly BenchRequest _request = new("POST", "/api/orders?id=7", "10.20.30.40:51234",
        (":authority", "example.com"), ("user-agent", "bench/1.0"), ("content-type", "application/json"),
        ("x-client", "mobile-ios-17.2"), ("x-user", "alice"));
    private readonly RuleResult[] _results = new RuleResult[4];
    private CompiledPolicy _single = null!;
    private CompiledPolicy _typical = null!;

    [GlobalSetup]
    public void Setup()
    {
        _single = BenchPolicies.Compile("""{"rules":[{"limit":{"requests":""" + BenchPolicies.Unlimited + ""","unit":"Second"}}]}""");
        _typical = BenchPolicies.Compile(TypicalConfig);
        _typical.Decide(in _request, _results);
    }

    [Benchmark(Baseline = true, Description = "1 rule, no selector")]
    public bool Single() => _single.Decide(in _request, _results).Limited;

    [Benchmark(Description = "typical policy (4 rules, all match)")]
    public bool Typical() => _typical.Decide(in _request, _results).Limited;
}
