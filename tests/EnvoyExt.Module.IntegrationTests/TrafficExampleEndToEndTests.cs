using System.Text;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// examples/traffic from YAML to the module: the controller's translators produce the xDS, whose
/// listener filters and per-route documents run in the ABI host with the real NativeAOT module and
/// real timers. Each TrafficPolicy section shows its effect on its own rule and no other.
/// </summary>
public class TrafficExampleEndToEndTests
{
    private static readonly XdsScenario Example = XdsScenario.FromExample("traffic", "default/traffic");

    [Fact]
    public void The_example_translates_into_the_three_filters_and_a_route_per_rule()
    {
        Assert.Empty(Example.Problems);
        Assert.Equal(["fault", "concurrency_limit", "bandwidth_limit"], Example.Filters.Select(f => f.FilterName));
        Assert.Equal(["/checkout", "/downloads", "/reports"], Example.Routes.Select(r => r.Prefix).Order(StringComparer.Ordinal));
        Assert.All(Example.Routes, r => Assert.Single(r.PerFilterConfig!));
    }

    [Fact]
    public void A_quarter_of_checkout_requests_is_aborted_and_downloads_are_not()
    {
        const int n = 1000;
        var requests = new List<RequestSpec>
        {
            RequestSpec.Get("/checkout") with { Repeat = n },
            // The downloads rule has no fault section: its bodiless answers pass untouched.
            RequestSpec.Get("/downloads/empty") with { Repeat = 100 },
        };
        var result = Run(requests, workers: 2);

        var checkout = result.Results.Take(n).ToList();
        var aborted = checkout.Count(r => r.LocalReply is { Status: 503, Details: "fault_filter_abort" });
        // 25 % of 1000: mean 250, standard deviation 13.7; ±5 deviations never fails by chance in practice.
        Assert.InRange(aborted, 180, 320);
        Assert.Equal(n - aborted, checkout.Count(r => r.DownstreamResponse?.Status == 200));
        Assert.Equal(aborted, result.Metric("fault_aborts_injected", ("fault", "default/checkout-chaos")));
        Assert.All(result.Results.Skip(n), r => Assert.Equal(200, r.DownstreamResponse?.Status));
    }

    [Fact]
    public void A_third_report_in_flight_is_answered_503()
    {
        // The upstream holds each report 2 s, so all six are in flight at once on two workers.
        var slow = new UpstreamSpec(DelayMs: 2000);
        var requests = Enumerable.Range(0, 6).Select(i => RequestSpec.Get("/reports") with { Upstream = slow, Worker = i % 2 }).ToList();
        var result = Run(requests, workers: 2);

        Assert.Equal(2, result.Results.Count(r => r.DownstreamResponse?.Status == 200));
        var rejected = result.Results.Where(r => r.LocalReply is not null).ToList();
        Assert.Equal(4, rejected.Count);
        Assert.All(rejected, r =>
        {
            Assert.Equal(503, r.LocalReply!.Status);
            Assert.Equal("full", r.LocalReply.Headers.Get("x-envoyext-concurrency-limited"));
        });
        Assert.Equal(0.0, result.Metric("concurrency_limit_in_flight", ("limiter", "default/reports-limit")));
    }

    [Fact]
    public void A_download_arrives_complete_at_256_KiB_per_second()
    {
        var body = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 64 * 1024)).ToList();
        var result = Run([RequestSpec.Get("/downloads/report.csv") with { Upstream = new UpstreamSpec(Body: body) }], workers: 1);

        Assert.Equal(string.Concat(body), result.Results[0].DownstreamResponse?.Body);
        // 512 KiB at 256 KiB/s, less the first fill interval's burst (50 ms).
        var expectedMs = 2000.0 - 50;
        Assert.InRange(result.Metric("bandwidth_limit_hold_ms", ("limiter", "default/downloads-throttle"))!.Value, expectedMs * 0.85, expectedMs * 1.15);
        Assert.Equal(512.0 * 1024, result.Metric("bandwidth_limit_bytes", ("limiter", "default/downloads-throttle"), ("direction", "response")));
    }

    private static HostResult Run(IReadOnlyList<RequestSpec> requests, int workers)
    {
        var result = HostRunner.Production().Run(new Scenario(Example.Filters, requests, Example.Routes, Workers: workers));
        Assert.True(result.ConfigErrors.Count == 0, new StringBuilder("config errors: ").AppendJoin(", ", result.ConfigErrors).ToString());
        return result;
    }
}
