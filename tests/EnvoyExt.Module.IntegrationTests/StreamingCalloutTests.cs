using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// Streaming HTTP callouts through the real host against a loopback server: the SDK's start, send
/// data, send trailers and reset calls, and the headers/data/trailers/complete/reset hooks (abi_probe's
/// x-probe-stream, see AbiProbeFilter.Streaming.cs).
/// </summary>
public class StreamingCalloutTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Request_frames_go_out_and_response_frames_come_back_in_order_with_trailers()
    {
        using var server = LoopbackHttpServer.Chunked(200, ["alpha;", "beta;"], ("x-probe-resp-trailer", "rt1"));
        var scenario = new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/s", ("x-probe-stream", "stream_backend"))],
            Clusters: new Dictionary<string, string> { ["stream_backend"] = server.Address });

        var result = _host.Run(scenario);

        var r = Assert.Single(result.Results);
        Assert.NotNull(r.UpstreamRequest); // the held request resumed after the callout completed
        var headers = r.DownstreamResponse!.Headers;
        Assert.Equal("0", headers.Get("x-probe-stream-init"));
        Assert.Equal("200", headers.Get("x-probe-stream-status"));
        Assert.Equal("alpha;beta;", headers.Get("x-probe-stream-body"));
        Assert.Equal("rt1", headers.Get("x-probe-stream-trailer"));
        Assert.Equal("complete", headers.Get("x-probe-stream-end"));
        Assert.Equal("false", headers.Get("x-probe-stream-send-after-end")); // the id is closed after complete
        var frames = headers.Get("x-probe-stream-frames")!.Split(',');
        Assert.Equal("h", frames[0]);
        Assert.Equal(["t", "c"], frames[^2..]);
        Assert.All(frames[1..^2], f => Assert.Equal("d", f));

        var request = Assert.Single(server.Requests);
        Assert.StartsWith("POST /probe-stream ", request, StringComparison.Ordinal);
        Assert.Contains("first;", request, StringComparison.Ordinal);
        Assert.Contains("second;", request, StringComparison.Ordinal);
        Assert.Contains("x-probe-req-trailer: t1", request, StringComparison.Ordinal);
        Assert.Equal(1, result.Metric("abi_probe_hook_calls", ("hook", "http_stream_trailers")));
        Assert.Equal(1, result.Metric("abi_probe_hook_calls", ("hook", "http_stream_complete")));
    }

    [Fact]
    public void A_reset_by_the_filter_runs_the_reset_hook_inside_the_call()
    {
        using var server = LoopbackHttpServer.Chunked(200, ["never-read"], ("x-probe-resp-trailer", "rt1"));
        var scenario = new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/s", ("x-probe-stream", "stream_backend"), ("x-probe-stream-reset", "1"))],
            Clusters: new Dictionary<string, string> { ["stream_backend"] = server.Address });

        var result = _host.Run(scenario);

        var headers = Assert.Single(result.Results).DownstreamResponse!.Headers;
        Assert.Equal("0", headers.Get("x-probe-stream-init"));
        Assert.Equal("r", headers.Get("x-probe-stream-frames"));
        Assert.Equal("reset:2", headers.Get("x-probe-stream-end")); // LocalReset
        Assert.Equal(0, result.Metric("abi_probe_hook_calls", ("hook", "http_stream_headers")) ?? 0);
    }

    [Fact]
    public void A_connection_failure_is_reported_as_a_reset()
    {
        int closedPort;
        using (var probe = new LoopbackHttpServer(200, ""))
        {
            closedPort = probe.Port;
        }
        var scenario = new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/s", ("x-probe-stream", "stream_backend"))],
            Clusters: new Dictionary<string, string> { ["stream_backend"] = $"127.0.0.1:{closedPort}" });

        var result = _host.Run(scenario);

        var r = Assert.Single(result.Results);
        Assert.NotNull(r.UpstreamRequest);
        Assert.Equal("reset:2", r.DownstreamResponse!.Headers.Get("x-probe-stream-end"));
    }

    [Fact]
    public void An_unknown_cluster_fails_at_start_and_no_hook_follows()
    {
        var r = _host.RunOne(RequestSpec.Get("/s", ("x-probe-stream", "no_such_cluster")));

        Assert.Equal("2", r.DownstreamResponse!.Headers.Get("x-probe-stream-init")); // ClusterNotFound
        Assert.Equal("", r.DownstreamResponse.Headers.Get("x-probe-stream-frames"));
    }
}
