using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class PerRouteAndAttributeTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void The_most_specific_per_route_config_is_found_and_absent_elsewhere()
    {
        var scenario = new Scenario([AbiProbeScenarios.Probe("listener")],
            [RequestSpec.Get("/a/1"), RequestSpec.Get("/b/1"), RequestSpec.Get("/other")],
            Routes:
            [
                new RouteSpec("route-a", "/a", new Dictionary<string, string> { ["abi_probe"] = """{"tag":"tag-a"}""" }),
                new RouteSpec("route-b", "/b", new Dictionary<string, string> { ["abi_probe"] = """{"tag":"tag-b"}""" }),
                new RouteSpec("catch-all", "/"),
            ]);

        var result = _host.Run(scenario);

        Assert.Empty(result.ConfigErrors);
        Assert.Equal(["tag-a", "tag-b", "none"], result.Results.Select(r => r.DownstreamResponse!.Headers.Get("x-probe-route-tag")));
        Assert.All(result.Results, r => Assert.Equal("listener", r.DownstreamResponse!.Headers.Get("x-probe-config-tag")));
    }

    [Fact]
    public void Source_address_and_port_attributes_are_reported()
    {
        var r = _host.RunOne(RequestSpec.Get("/attr") with { SourceAddress = "10.1.2.3:5555" });

        var headers = r.DownstreamResponse!.Headers;
        Assert.Equal("10.1.2.3:5555", headers.Get("x-probe-source-address")); // ip:port since 1.40
        Assert.Equal("5555", headers.Get("x-probe-source-port"));
    }

    [Fact]
    public void Worker_index_comes_from_the_host()
    {
        var result = _host.Run(new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/w") with { Worker = 0 }, RequestSpec.Get("/w") with { Worker = 1 }], Workers: 2));

        Assert.Equal(["0", "1"], result.Results.Select(r => r.DownstreamResponse!.Headers.Get("x-probe-worker")));
        Assert.Equal([0, 1], result.Results.Select(r => r.Worker));
    }

    [Fact]
    public void Counters_gauges_and_histograms_with_labels_are_recorded()
    {
        var scenario = new Scenario([AbiProbeScenarios.Probe()],
            [RequestSpec.Get("/m") with { Repeat = 3 }, RequestSpec.Post("/m", ["12345"])], Workers: 2);

        var result = _host.Run(scenario);

        Assert.Equal(3, result.Metric("abi_probe_requests", ("method", "GET")));
        Assert.Equal(1, result.Metric("abi_probe_requests", ("method", "POST")));
        Assert.Equal(0, result.Metric("abi_probe_active_streams")); // +1 per request, -1 at stream_complete
        var bodyBytes = result.MetricRecord("abi_probe_request_body_bytes");
        Assert.NotNull(bodyBytes);
        Assert.Equal(5, bodyBytes!.Value); // sum of samples: 0 + 0 + 0 + 5
        Assert.Equal(4, bodyBytes.Count);
    }
}
