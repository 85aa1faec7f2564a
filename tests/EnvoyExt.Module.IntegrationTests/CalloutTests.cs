using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class CalloutTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Callout_response_is_delivered_to_the_filter_and_the_request_continues()
    {
        using var server = new LoopbackHttpServer(202, "callout-ok");
        var scenario = new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/c", ("x-probe-callout", "probe_backend"))],
            Clusters: new Dictionary<string, string> { ["probe_backend"] = server.Address });

        var result = _host.Run(scenario);

        var r = Assert.Single(result.Results);
        Assert.NotNull(r.UpstreamRequest);
        var headers = r.DownstreamResponse!.Headers;
        Assert.Equal("0", headers.Get("x-probe-callout-result")); // Success
        Assert.Equal("202", headers.Get("x-probe-callout-status"));
        Assert.Equal("callout-ok", headers.Get("x-probe-callout-body"));
        Assert.Contains(server.Requests, head => head.StartsWith("GET /probe-callout ", StringComparison.Ordinal));
        Assert.Equal(1, result.Metric("abi_probe_hook_calls", ("hook", "http_callout_done")));
    }

    [Fact]
    public void Callout_to_an_unknown_cluster_fails_at_start_with_ClusterNotFound()
    {
        var r = _host.RunOne(RequestSpec.Get("/c", ("x-probe-callout", "no_such_cluster")));

        Assert.Equal(503, r.LocalReply!.Status);
        Assert.Equal("callout init failed: ClusterNotFound", r.LocalReply.Body);
    }
}
