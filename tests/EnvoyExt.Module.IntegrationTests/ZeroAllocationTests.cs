using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The hot-path rule, checked on the real NativeAOT module: after warm-up (pools filled on every
/// worker) a request through C# filters allocates no managed memory. Counted by the runtime
/// (envoyext_module_allocated_bytes), not timed.
/// </summary>
public class ZeroAllocationTests
{
    private readonly HostRunner _host = new();

    [Theory]
    [InlineData("passthrough", "")]
    [InlineData("abi_probe", "{}")]
    [InlineData("set_header", """{"headers":[{"name":"x-env","value":"prod"}],"responseHeaders":[{"name":"x-served-by","value":"edge"}]}""")]
    [InlineData("rate_limit", """{"rules":[{"limit":{"requests":1000000000,"unit":"Second"}}]}""")]
    [InlineData("rate_limit", """{"rules":[{"name":"all","limit":{"requests":1000000000,"unit":"Second"}}],"response":{"rateLimitHeadersFormat":"Both"}}""")]
    [InlineData("rate_limit", """{"rules":[{"name":"tokens","limit":{"requests":1000000000,"unit":"Second"},"costFrom":{"header":"x-tokens-used"}}]}""")]
    [InlineData("rate_limit", """{"rules":[{"name":"tokens","clientSelectors":[{"headers":[{"name":":authority","type":"Distinct"}]}],"shared":"org","limit":{"requests":1000000000,"unit":"Second"},"costFrom":{"bodyField":"usage.total_tokens"}}]}""")]
    [InlineData("concurrency_limit", """{"maxConcurrentRequests":1000000,"queue":{"maxSize":16,"maxWaitMs":1000}}""")]
    [InlineData("bandwidth_limit", """{"limitKiBps":1024}""")]
    [InlineData("fault", """{"abort":{"httpStatus":503,"percentage":{"numerator":0}},"delay":{"fixedDelayMs":100,"percentage":{"numerator":0}},"headerControl":true,"headers":[{"name":":method","exact":"GET"}]}""")]
    public void Steady_state_requests_allocate_no_managed_bytes(string filter, string config)
    {
        var summary = _host.RunBench(filter, config, requests: 20_000, workers: 2, warmup: 2_000);

        Assert.Equal(20_000, summary.GetProperty("requests").GetInt32());
        Assert.Equal(0.0, summary.GetProperty("managed_bytes_per_request").GetDouble());
    }

    // A check through the benchmark's own authorization service, which allows every check (the run fails
    // otherwise): the callout, its answer and the resumed request allocate nothing either, in both protocols.
    [Theory]
    [InlineData("""{"cluster":"auth","timeoutMs":5000}""", "auth={{auth_http}}")]
    [InlineData("""{"protocol":"grpc","cluster":"auth","timeoutMs":5000}""", "auth=h2c://{{auth_grpc}}")]
    public void Steady_state_ext_auth_checks_allocate_no_managed_bytes(string config, string cluster)
    {
        var summary = _host.RunBench("ext_auth", config, requests: 4_000, workers: 2, warmup: 1_000, cluster: cluster);

        Assert.Equal(4_000, summary.GetProperty("requests").GetInt32());
        Assert.Equal(0.0, summary.GetProperty("managed_bytes_per_request").GetDouble());
    }
}
