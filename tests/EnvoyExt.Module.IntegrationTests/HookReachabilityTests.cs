using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>Every exported stream hook is called by the host and reaches the C# filter.</summary>
public class HookReachabilityTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Request_and_response_hooks_with_body_and_trailers_all_reach_the_filter()
    {
        var request = RequestSpec.Post("/hooks", ["part1", "part2"]) with
        {
            Trailers = [("x-t", "1")],
            Upstream = new UpstreamSpec(200, [("content-type", "text/plain")], ["resp"], [("x-rt", "2")]),
        };
        var result = _host.Run(AbiProbeScenarios.Single(request));
        Assert.Empty(result.ConfigErrors);

        foreach (var hook in new[] { "request_headers", "request_body", "request_trailers", "response_headers", "response_body", "response_trailers", "stream_complete" })
        {
            Assert.True(result.Metric("abi_probe_hook_calls", ("hook", hook)) >= 1, $"hook {hook} not reached\n{result.Describe()}");
        }
        Assert.Equal(2, result.Metric("abi_probe_hook_calls", ("hook", "request_body")));
    }

    [Fact]
    public void Destroy_and_new_hooks_are_reached_and_contained()
    {
        var result = _host.Run(new Scenario(
            [new FilterSpec("test_throw", """{"hook":"destroy"}""")],
            [RequestSpec.Get("/a"), RequestSpec.Get("/b")]));

        Assert.True(result.LogContains("test_throw: exception in destroy"), result.Describe());
        Assert.All(result.Results, r => Assert.Equal(200, r.DownstreamResponse!.Status));

        // The filter object is created at the stream's first hook that enters .NET (filter_new is native):
        // a failure there fails that request closed and never reaches the upstream.
        var onNew = _host.Run(new Scenario([new FilterSpec("test_throw", """{"hook":"new"}""")], [RequestSpec.Get("/a")]));
        Assert.True(onNew.LogContains("test_throw: exception in request_headers"), onNew.Describe());
        Assert.True(onNew.LogContains("deliberate failure in new"), onNew.Describe());
        // Its local 500 then meets the same filter on the way out, which passes it through to the client.
        var failed = Assert.Single(onNew.Results);
        Assert.False(failed.Reset, onNew.Describe());
        Assert.Equal(500, failed.DownstreamResponse?.Status);
        Assert.Equal(0, onNew.ExitCode);
    }
}
