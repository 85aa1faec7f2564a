using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// bandwidth_limit (docs/filters/bandwidth-limit.md) through the real NativeAOT module and the ABI host,
/// with real timers. The delay the filter added (its hold-time histogram, measured on the stream's
/// worker) is checked within ±15 % of what the rate implies; the run's wall time cannot be shorter
/// than 85 % of it (the rate is never exceeded), and it is not longer than an unthrottled run of the
/// same scenario plus 2.5 times it (a loose bound: host start-up and scenario parsing vary with load).
/// </summary>
public class BandwidthLimitEndToEndTests
{
    private const int KiB = 1024;
    private const string Unthrottled = """{"limitKiBps":10485760}""";

    [Fact]
    public void A_4_MiB_request_body_arrives_complete_and_in_order_at_the_configured_rate()
    {
        var body = Chunks(count: 64, size: 64 * KiB);
        var request = RequestSpec.Post("/upload", body);

        var (baseline, _) = Run(Unthrottled, [request]);
        var (throttled, result) = Run("""{"name":"up","limitKiBps":1024,"direction":"request"}""", [request]);

        Assert.Equal(string.Concat(body), result.Results[0].UpstreamRequest?.Body);
        Assert.Equal(200, result.Results[0].DownstreamResponse?.Status);
        var expected = TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(50);
        AssertWallTime(expected, baseline, throttled);
        Assert.InRange(result.Metric("bandwidth_limit_hold_ms", ("limiter", "up"))!.Value, expected.TotalMilliseconds * 0.85, expected.TotalMilliseconds * 1.15);
        Assert.Equal(4.0 * KiB * KiB, result.Metric("bandwidth_limit_bytes", ("limiter", "up"), ("direction", "request")));
    }

    [Fact]
    public void A_request_body_sent_faster_than_the_rate_is_read_only_as_the_filter_releases_it()
    {
        const int Limit = 1024 * KiB;              // the host's per-stream buffer limit (Envoy's default)
        const int Frame = 64 * KiB;
        var body = Chunks(count: 64, size: Frame);   // 4 MiB at once from the client: four times the limit
        var request = RequestSpec.Post("/upload", body);

        var (baseline, _) = Run(Unthrottled, [request]);
        var (throttled, result) = Run("""{"name":"paced","limitKiBps":2048,"direction":"request"}""", [request]);

        var outcome = result.Results[0];
        Assert.Equal(string.Concat(body), outcome.UpstreamRequest?.Body);
        Assert.Equal(200, outcome.DownstreamResponse?.Status);
        var expected = TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(50);
        AssertWallTime(expected, baseline, throttled);
        Assert.InRange(result.Metric("bandwidth_limit_hold_ms", ("limiter", "paced"))!.Value, expected.TotalMilliseconds * 0.85, expected.TotalMilliseconds * 1.15);
        // Past the buffer limit the client is read-disabled, so the filter never holds more than the limit
        // plus the frame that crossed it; without flow control it would hold all but the first frame.
        Assert.InRange(outcome.MaxRequestBuffered, Limit, Limit + Frame);
        Assert.Equal(4.0 * KiB * KiB, result.Metric("bandwidth_limit_bytes", ("limiter", "paced"), ("direction", "request")));
    }

    [Fact]
    public void Two_streams_on_two_workers_share_the_rate()
    {
        var first = Chunks(count: 32, size: 64 * KiB);
        var second = Chunks(count: 32, size: 64 * KiB, offset: 7);
        RequestSpec[] requests = [RequestSpec.Post("/a", first) with { Worker = 0 }, RequestSpec.Post("/b", second) with { Worker = 1 }];

        var (baseline, _) = Run(Unthrottled, requests, workers: 2);
        var (throttled, result) = Run("""{"limitKiBps":1024,"direction":"request"}""", requests, workers: 2);

        Assert.Equal(string.Concat(first), result.Results[0].UpstreamRequest?.Body);
        Assert.Equal(string.Concat(second), result.Results[1].UpstreamRequest?.Body);
        // Each stream alone at the full rate would be done in 2 s: sharing, the pair takes 4 s.
        AssertWallTime(TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(50), baseline, throttled);
    }

    [Fact]
    public void A_response_body_is_paced_on_the_way_back()
    {
        var body = Chunks(count: 16, size: 64 * KiB);
        var request = RequestSpec.Get("/download") with { Upstream = new UpstreamSpec(Body: body) };

        var (baseline, _) = Run(Unthrottled, [request]);
        var (throttled, result) = Run("""{"name":"down","limitKiBps":512,"direction":"response"}""", [request]);

        Assert.Equal(string.Concat(body), result.Results[0].DownstreamResponse?.Body);
        var expected = TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(50);
        AssertWallTime(expected, baseline, throttled);
        Assert.InRange(result.Metric("bandwidth_limit_hold_ms", ("limiter", "down"))!.Value, expected.TotalMilliseconds * 0.85, expected.TotalMilliseconds * 1.15);
    }

    [Fact]
    public void A_paced_response_with_trailers_reports_the_delays_in_them()
    {
        var body = Chunks(count: 8, size: 64 * KiB);
        var request = RequestSpec.Get("/download") with { Upstream = new UpstreamSpec(Body: body, Trailers: [("grpc-status", "0")]) };

        var (_, result) = Run("""{"name":"down","limitKiBps":512,"direction":"response","responseTrailers":{"prefix":"x-bw"}}""", [request]);

        var response = result.Results[0].DownstreamResponse!;
        Assert.Equal(string.Concat(body), response.Body);
        Assert.Equal("0", response.Trailers.Get("grpc-status"));
        // 512 KiB at 512 KiB/s, less the 50 ms burst: the filter held the body for about a second.
        double filterDelay = double.Parse(response.Trailers.Get("x-bw-bandwidth-response-filter-delay-ms")!, CultureInfo.InvariantCulture);
        double transfer = double.Parse(response.Trailers.Get("x-bw-bandwidth-response-delay-ms")!, CultureInfo.InvariantCulture);
        Assert.InRange(filterDelay, 950 * 0.85, 950 * 1.15);
        Assert.InRange(transfer, filterDelay, filterDelay + 1000);
        Assert.Equal("0", response.Trailers.Get("x-bw-bandwidth-request-delay-ms"));
    }

    [Fact]
    public void A_client_that_stops_reading_stalls_its_stream_with_bounded_memory_and_the_stream_completes_when_it_reads_again()
    {
        const int Limit = 1024 * KiB;              // the host's per-stream buffer limit (Envoy's default)
        const int Frame = 64 * KiB;
        var body = Chunks(count: 128, size: Frame);  // 8 MiB: eight times what flow control lets one stream hold
        var request = RequestSpec.Get("/download") with { Upstream = new UpstreamSpec(Body: body), DownstreamStallMs = 1500 };

        // 8 MiB/s: unthrottled by the stall, the whole body would be released into the client's buffer within 1 s.
        var (elapsed, result) = Run("""{"name":"stall","limitKiBps":8192,"direction":"response"}""", [request]);

        var outcome = result.Results[0];
        Assert.Equal(string.Concat(body), outcome.DownstreamResponse?.Body);
        Assert.False(outcome.Reset);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(30));
        // What the filter holds is bounded by the buffer limit (plus the frame that crossed it), and what
        // waits for the client by its high watermark plus what the filter released after it: never the body.
        Assert.InRange(outcome.MaxResponseBuffered, Frame, Limit + Frame);
        Assert.InRange(outcome.MaxDownstreamUnread, Limit, (2 * Limit) + (2 * Frame));
        Assert.Equal(8.0 * KiB * KiB, result.Metric("bandwidth_limit_bytes", ("limiter", "stall"), ("direction", "response")));
    }

    private static (TimeSpan Elapsed, HostResult Result) Run(string config, IReadOnlyList<RequestSpec> requests, int workers = 1)
    {
        var clock = Stopwatch.StartNew();
        var result = HostRunner.Production().Run(new Scenario([new FilterSpec("bandwidth_limit", config)], requests, Workers: workers));
        clock.Stop();
        Assert.Empty(result.ConfigErrors);
        return (clock.Elapsed, result);
    }

    private static void AssertWallTime(TimeSpan expected, TimeSpan baseline, TimeSpan throttled) =>
        Assert.InRange(throttled.TotalMilliseconds, expected.TotalMilliseconds * 0.85, (baseline + (expected * 2.5)).TotalMilliseconds);

    // Distinct chunks, so a reordering or a duplicate changes the concatenation.
    private static List<string> Chunks(int count, int size, int offset = 0)
    {
        var chunks = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var builder = new StringBuilder(size);
            builder.Append((char)('a' + ((i + offset) % 26)), size - 8);
            builder.Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
            chunks.Add(builder.ToString());
        }
        return chunks;
    }
}
