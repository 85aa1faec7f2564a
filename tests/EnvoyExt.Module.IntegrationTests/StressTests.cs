using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// Many streams on several workers, with compacting GCs in the middle of hooks and scheduler commits
/// racing stream teardown: every request must still come back exactly as the probe promises.
/// </summary>
public class StressTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Compacting_GCs_during_hooks_do_not_disturb_streams_on_other_workers()
    {
        var withGc = RequestSpec.Post("/gc", ["a", "b"], ("x-probe-gc", "1"), ("x-probe-add", "v"), ("x-probe-req-body-append", "!")) with
        {
            Repeat = 40,
            Upstream = new UpstreamSpec(200, [], ["ok"]),
        };
        var plain = RequestSpec.Post("/plain", ["xyz"], ("x-probe-set", "s")) with { Repeat = 200 };

        var result = _host.Run(new Scenario([AbiProbeScenarios.Probe()], [withGc, plain], Workers: 2));

        Assert.Equal(240, result.Results.Count);
        Assert.All(result.Results.Take(40), r =>
        {
            Assert.Equal("ab!", r.UpstreamRequest!.Body);
            Assert.Equal(["v"], r.UpstreamRequest.Headers.All("x-probe-multi"));
            Assert.Equal("ok", r.DownstreamResponse!.Body);
        });
        Assert.All(result.Results.Skip(40), r =>
        {
            Assert.Equal("xyz", r.UpstreamRequest!.Body);
            Assert.Equal("s", r.UpstreamRequest.Headers.Get("x-probe-was-set"));
            Assert.Equal("3", r.DownstreamResponse!.Headers.Get("x-probe-request-body-bytes"));
        });
        Assert.Equal(0, result.Metric("abi_probe_active_streams"));
    }

    [Fact]
    public void Hundreds_of_foreign_thread_commits_each_resume_their_own_stream()
    {
        var result = _host.Run(new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/async", ("x-probe-async", "1")) with { Repeat = 300 }], Workers: 2));

        Assert.Equal(300, result.Results.Count);
        Assert.All(result.Results, r => Assert.Equal("7", r.DownstreamResponse!.Headers.Get("x-probe-async-event")));
        Assert.Equal(300, result.Metric("abi_probe_hook_calls", ("hook", "scheduled")));
    }
}
