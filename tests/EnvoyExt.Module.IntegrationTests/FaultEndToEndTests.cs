using System.Diagnostics;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// fault (docs/filters/fault.md) through the real NativeAOT module and the ABI host, with real timers.
/// Shares are checked against binomial bounds; timing bounds are one-sided and generous.
/// </summary>
public class FaultEndToEndTests
{
    [Fact]
    public void Seeded_aborts_follow_the_configured_share_across_workers()
    {
        const int Requests = 2_000;
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("fault", """{"name":"f","seed":9,"abort":{"httpStatus":503,"percentage":{"numerator":25}},"maxActiveFaults":1000000}""")],
            [RequestSpec.Get("/") with { Repeat = Requests }], Workers: 2));

        Assert.Empty(result.ConfigErrors);
        int aborted = result.Results.Count(r => r.LocalReply?.Status == 503);
        int passed = result.Results.Count(r => r.DownstreamResponse?.Status == 200 && r.UpstreamRequest is not null);
        double slack = 5 * Math.Sqrt(Requests * 0.25 * 0.75);
        Assert.InRange(aborted, (int)((Requests * 0.25) - slack), (int)((Requests * 0.25) + slack));
        Assert.Equal(Requests, aborted + passed);
        Assert.Equal(aborted, result.Metric("fault_aborts_injected", ("fault", "f")));
        Assert.Equal(0.0, result.Metric("fault_active", ("fault", "f")));
    }

    [Fact]
    public void Header_faults_apply_only_when_enabled()
    {
        var requests = new[]
        {
            RequestSpec.Get("/off", ("x-envoy-fault-abort-request", "418")),
            RequestSpec.Get("/on", ("x-envoy-fault-abort-request", "418")),
            RequestSpec.Get("/on"),
        };
        var routes = new[] { new RouteSpec("on", "/on", new Dictionary<string, string> { ["fault"] = """{"headerControl":true}""" }) };
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("fault", """{"delay":{"fixedDelayMs":1,"percentage":{"numerator":0}}}""")], requests, routes));

        Assert.Empty(result.ConfigErrors);
        Assert.Null(result.Results[0].LocalReply);
        Assert.Equal(200, result.Results[0].DownstreamResponse?.Status);
        Assert.Equal(418, result.Results[1].LocalReply?.Status);
        Assert.Null(result.Results[2].LocalReply);
    }

    [Fact]
    public void Delays_hold_requests_on_a_timer_and_the_cap_lets_the_rest_pass()
    {
        // Two of six requests are held 1 s (the cap); the others pass at once.
        var stopwatch = Stopwatch.StartNew();
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("fault", """{"name":"d","delay":{"fixedDelayMs":1000},"maxActiveFaults":2}""")],
            [RequestSpec.Get("/") with { Repeat = 6 }], Workers: 2));
        stopwatch.Stop();

        Assert.Empty(result.ConfigErrors);
        Assert.All(result.Results, r => Assert.Equal(200, r.DownstreamResponse?.Status));
        Assert.Equal(2.0, result.Metric("fault_delays_injected", ("fault", "d")));
        Assert.Equal(4.0, result.Metric("fault_active_overflow", ("fault", "d")));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(950), $"finished after {stopwatch.Elapsed}");
    }
}
