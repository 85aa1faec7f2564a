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
        _typical = BenchPolicies.Compile(BenchPolicies.FourRules);
        _typical.Decide(in _request, _results);
    }

    [Benchmark(Baseline = true, Description = "1 rule, no selector")]
    public bool Single() => _single.Decide(in _request, _results).Limited;

    [Benchmark(Description = "typical policy (4 rules, all match)")]
    public bool Typical() => _typical.Decide(in _request, _results).Limited;
}
