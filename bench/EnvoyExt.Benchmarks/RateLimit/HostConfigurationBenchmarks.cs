using BenchmarkDotNet.Attributes;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Benchmarks.RateLimit;

/// <summary>
/// The managed core's share of each configuration the host benchmark (bench/host-bench.sh) runs through the
/// ABI: the decision alone, so every configuration has a managed-core figure beside its whole-request one.
/// The baseline is the physical floor of one rule, written inline: a coarse clock read and one compare-and-swap
/// on a shared word (what the C baseline's bucket does). Limits are never reached unless the row says so.
/// </summary>
[MemoryDiagnoser]
public class HostConfigurationBenchmarks
{
    /// <summary>Distinct values cycled through by the churn rows (more than the table holds: every request evicts).</summary>
    private const int ChurnValues = 4096;

    private const int ChurnCapacity = 1024;

    private readonly RuleResult[] _results = new RuleResult[4];
    private BenchRequest _typicalRequest;
    private BenchRequest[] _churnRequests = [];
    private BenchRequest[] _residentRequests = [];
    private int _next;
    private long _counter;
    private CompiledPolicy _headerExact = null!;
    private CompiledPolicy _fourRules = null!;
    private CompiledPolicy _distinctChurn = null!;
    private CompiledPolicy _distinctResident = null!;
    private CompiledPolicy _regexGlob = null!;
    private CompiledPolicy _regexGeneral = null!;
    private CompiledPolicy _limited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _typicalRequest = new BenchRequest("POST", "/api/orders?id=7", "10.20.30.40:51234",
            (":authority", "example.com"), ("user-agent", "bench/1.0"), ("content-type", "application/json"),
            ("x-client", "mobile-ios-17.2"), ("x-user", "bench-user"));
        _churnRequests = Enumerable.Range(0, ChurnValues).Select(UserRequest).ToArray();
        _residentRequests = Enumerable.Range(0, ChurnCapacity / 2).Select(UserRequest).ToArray();
        _headerExact = BenchPolicies.OneSelector("""{"headers":[{"name":"x-user","type":"Exact","value":"bench-user"}]}""");
        _fourRules = BenchPolicies.Compile(BenchPolicies.FourRules);
        _distinctChurn = DistinctPolicy();
        _distinctResident = DistinctPolicy();
        _regexGlob = BenchPolicies.OneSelector("""{"headers":[{"name":"x-client","type":"RegularExpression","value":"mobile-.*"}]}""");
        _regexGeneral = BenchPolicies.OneSelector("""{"headers":[{"name":"x-client","type":"RegularExpression","value":"mobile-(ios|android)-[0-9.]+"}]}""");
        _limited = BenchPolicies.Compile("""{"rules":[{"clientSelectors":[{"headers":[{"name":"x-user","type":"Exact","value":"bench-user"}]}],"limit":{"requests":1,"unit":"Hour"}}]}""");
        // Steady state: resident Distinct buckets exist, the limited rule's bucket is empty.
        foreach (var request in _residentRequests)
        {
            _distinctResident.Decide(in request, _results);
        }
        _limited.Decide(in _typicalRequest, _results);
        if (!_limited.Decide(in _typicalRequest, _results).Limited || _fourRules.Decide(in _typicalRequest, _results).Limited)
        {
            throw new InvalidOperationException("benchmark policies do not behave as the rows say");
        }
    }

    [Benchmark(Baseline = true, Description = "floor: clock read + 1 CAS")]
    public long Floor()
    {
        long now = Environment.TickCount64;
        long seen = Volatile.Read(ref _counter);
        return Interlocked.CompareExchange(ref _counter, seen + now, seen);
    }

    [Benchmark(Description = "1 rule, header Exact (typical)")]
    public bool HeaderExact() => _headerExact.Decide(in _typicalRequest, _results).Limited;

    [Benchmark(Description = "4 rules")]
    public bool FourRules() => _fourRules.Decide(in _typicalRequest, _results).Limited;

    [Benchmark(Description = "Distinct, 512 resident values")]
    public bool DistinctResident() => _distinctResident.Decide(in _residentRequests[Next(_residentRequests.Length)], _results).Limited;

    [Benchmark(Description = "Distinct, LRU churn (every request evicts)")]
    public bool DistinctChurn() => _distinctChurn.Decide(in _churnRequests[Next(ChurnValues)], _results).Limited;

    [Benchmark(Description = "regex 'mobile-.*' (byte matcher)")]
    public bool RegexGlob() => _regexGlob.Decide(in _typicalRequest, _results).Limited;

    [Benchmark(Description = "regex 'mobile-(ios|android)-[0-9.]+'")]
    public bool RegexGeneral() => _regexGeneral.Decide(in _typicalRequest, _results).Limited;

    [Benchmark(Description = "limited request")]
    public bool Limited() => _limited.Decide(in _typicalRequest, _results).Limited;

    private static CompiledPolicy DistinctPolicy() => BenchPolicies.Compile(
        $"{{\"maxDistinctBuckets\":{ChurnCapacity},\"rules\":[{{\"clientSelectors\":[{{\"headers\":[{{\"name\":\"x-user\",\"type\":\"Distinct\"}}]}}]," +
        $"\"limit\":{{\"requests\":{BenchPolicies.Unlimited},\"unit\":\"Second\"}}}}]}}");

    private static BenchRequest UserRequest(int i) => new("GET", "/api/items", "10.20.30.40:51234",
        (":authority", "example.com"), ("user-agent", "bench/1.0"), ("x-user", $"user-{i:D6}"));

    private int Next(int count)
    {
        int i = _next + 1;
        _next = i == count ? 0 : i;
        return _next;
    }
}
