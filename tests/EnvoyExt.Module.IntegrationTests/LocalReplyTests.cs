using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class LocalReplyTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Local_reply_carries_status_headers_body_and_details_and_never_reaches_upstream()
    {
        var result = _host.Run(AbiProbeScenarios.Single(RequestSpec.Get("/deny", ("x-probe-local-reply", "403"))));

        var r = Assert.Single(result.Results);
        Assert.NotNull(r.LocalReply);
        Assert.Equal(403, r.LocalReply!.Status);
        Assert.Equal("yes", r.LocalReply.Headers.Get("x-probe-local"));
        Assert.Equal("abi_probe local reply", r.LocalReply.Body);
        Assert.Equal("abi_probe_local_reply", r.LocalReply.Details);
        Assert.Null(r.UpstreamRequest);
        Assert.Equal(403, r.DownstreamResponse!.Status);
        Assert.True(result.Metric("abi_probe_hook_calls", ("hook", "local_reply")) >= 1, "local_reply hook not reached\n" + result.Describe());
    }

    [Fact]
    public void Requests_after_a_local_reply_are_served_normally()
    {
        var result = _host.Run(new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/deny", ("x-probe-local-reply", "429")), RequestSpec.Get("/ok")]));

        Assert.Equal(429, result.Results[0].DownstreamResponse!.Status);
        Assert.Null(result.Results[1].LocalReply);
        Assert.Equal(200, result.Results[1].DownstreamResponse!.Status);
    }
}
