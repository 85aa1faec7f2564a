using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class SchedulerTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Commit_from_a_thread_pool_thread_resumes_the_request_on_its_worker()
    {
        var result = _host.Run(new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/async", ("x-probe-async", "1")) with { Repeat = 8 }], Workers: 2));

        Assert.Equal(8, result.Results.Count);
        Assert.All(result.Results, r =>
        {
            Assert.NotNull(r.UpstreamRequest); // the held request was continued
            var headers = r.DownstreamResponse!.Headers;
            Assert.Equal("7", headers.Get("x-probe-async-event"));
            Assert.Equal("true", headers.Get("x-probe-async-foreign-thread"));
        });
        Assert.Equal(8, result.Metric("abi_probe_hook_calls", ("hook", "scheduled")));
    }
}
