using BenchmarkDotNet.Attributes;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// One-rule decisions that differ only in the selector, against a rule with no selector (bucket charge only),
/// so each ratio shows what the selector type adds. Distinct includes the per-value table lookup.
/// </summary>
[MemoryDiagnoser]
public class SelectorMatchingBenchmarks
{
    private readonly BenchRequest _request = new("GET", "/api/items?api_key=k-123&page=2", "10.20.30.40:51234",
        (":authority", "example.com"), ("user-agent", "bench/1.0"), ("x-org", "acme"),
        ("x-client", "mobile-ios-17.2"), ("x-user", "alice"));
    private readonly BenchRequest _requestV6 = new("GET", "/", "[2001:db8:1::42]:51234");
    private readonly RuleResult[] _results = new RuleResult[1];
    private CompiledPolicy _noSelector = null!;
    private CompiledPolicy _exactHeader = null!;
    private CompiledPolicy _regexHeader = null!;
    private CompiledPolicy _cidrV4 = null!;
    private CompiledPolicy _cidrV6 = null!;
    private CompiledPolicy _distinctHeader = null!;
    private CompiledPolicy _distinctIp = null!;
    private CompiledPolicy _pathPrefix = null!;
    private CompiledPolicy _queryParam = null!;

    [GlobalSetup]
    public void Setup()
    {
        _noSelector = BenchPolicies.Compile("""{"rules":[{"limit":{"requests":""" + BenchPolicies.Unlimited + ""","unit":"Second"}}]}""");
        _exactHeader = BenchPolicies.OneSelector("""{"headers":[{"name":"x-org","type":"Exact","value":"acme"}]}""");
        _regexHeader = BenchPolicies.OneSelector("""{"headers":[{"name":"x-client","type":"RegularExpression","value":"mobile-(ios|android)-[0-9.]+"}]}""");
        _cidrV4 = BenchPolicies.OneSelector("""{"sourceCIDR":{"type":"Exact","value":"10.0.0.0/8"}}""");
        _cidrV6 = BenchPolicies.OneSelector("""{"sourceCIDR":{"type":"Exact","value":"2001:db8::/32"}}""");
        _distinctHeader = BenchPolicies.OneSelector("""{"headers":[{"name":"x-user","type":"Distinct"}]}""");
        _distinctIp = BenchPolicies.OneSelector("""{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8"}}""");
        _pathPrefix = BenchPolicies.OneSelector("""{"path":{"type":"PathPrefix","value":"/api"}}""");
        _queryParam = BenchPolicies.OneSelector("""{"queryParams":[{"name":"api_key","type":"Exact","value":"k-123"}]}""");
        // Create the Distinct buckets now: steady state is what we measure.
        Run(_distinctHeader, _request);
        Run(_distinctIp, _request);
    }

    [Benchmark(Baseline = true, Description = "no selector (bucket only)")]
    public bool NoSelector() => Run(_noSelector, _request);

    [Benchmark(Description = "header Exact")]
    public bool ExactHeader() => Run(_exactHeader, _request);

    [Benchmark(Description = "header RegularExpression")]
    public bool RegexHeader() => Run(_regexHeader, _request);

    [Benchmark(Description = "path PathPrefix")]
    public bool PathPrefix() => Run(_pathPrefix, _request);

    [Benchmark(Description = "queryParams Exact")]
    public bool QueryParam() => Run(_queryParam, _request);

    [Benchmark(Description = "sourceCIDR v4")]
    public bool CidrV4() => Run(_cidrV4, _request);

    [Benchmark(Description = "sourceCIDR v6")]
    public bool CidrV6() => Run(_cidrV6, _requestV6);

    [Benchmark(Description = "header Distinct (lookup)")]
    public bool DistinctHeader() => Run(_distinctHeader, _request);

    [Benchmark(Description = "sourceCIDR Distinct (lookup)")]
    public bool DistinctIp() => Run(_distinctIp, _request);

    private bool Run(CompiledPolicy policy, in BenchRequest request) => policy.Decide(in request, _results).Limited;
}
