using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// concurrency_limit (docs/filters/concurrency-limit.md) through the real NativeAOT module and the ABI host, with
/// real timers. Bounds are tolerant: a held request's upstream answers seconds later, so the outcome does not
/// depend on how fast a loaded machine starts the requests.
/// </summary>
public class ConcurrencyLimitEndToEndTests
{
    private static readonly UpstreamSpec Slow = new(DelayMs: 2000);

    [Fact]
    public void The_limit_holds_across_workers()
    {
        var requests = Enumerable.Range(0, 8).Select(i => RequestSpec.Get("/api") with { Upstream = Slow, Worker = i % 2 }).ToList();
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("concurrency_limit", """{"name":"api","maxConcurrentRequests":2}""")], requests, Workers: 2));

        Assert.Empty(result.ConfigErrors);
        Assert.Equal(2, result.Results.Count(r => r.DownstreamResponse?.Status == 200));
        var rejected = result.Results.Where(r => r.LocalReply is not null).ToList();
        Assert.Equal(6, rejected.Count);
        Assert.All(rejected, r =>
        {
            Assert.Equal(503, r.LocalReply!.Status);
            Assert.Equal("full", r.LocalReply.Headers.Get("x-envoyext-concurrency-limited"));
        });
        Assert.Equal(6.0, result.Metric("concurrency_limit_rejected", ("limiter", "api"), ("reason", "full")));
        Assert.Equal(0.0, result.Metric("concurrency_limit_in_flight", ("limiter", "api")));
    }

    [Fact]
    public void Queued_streams_resume_on_their_own_worker_and_a_late_one_times_out()
    {
        // One slot, held 2 s by the first request; the queue admits waiters for 10 s (the next two get the
        // slot in turn) except on the route whose maximum wait is 100 ms.
        var requests = new List<RequestSpec>
        {
            RequestSpec.Get("/api") with { Upstream = new UpstreamSpec(DelayMs: 300), Worker = 0 },
            RequestSpec.Get("/api") with { Upstream = new UpstreamSpec(DelayMs: 50), Worker = 1 },
            RequestSpec.Get("/api") with { Upstream = new UpstreamSpec(DelayMs: 50), Worker = 0 },
            RequestSpec.Get("/short") with { Upstream = Slow, Worker = 1 },
            RequestSpec.Get("/short") with { Upstream = Slow, Worker = 0 },
        };
        var routes = new[]
        {
            new RouteSpec("short", "/short", new Dictionary<string, string>
            {
                ["concurrency_limit"] = """{"name":"short","maxConcurrentRequests":1,"queue":{"maxSize":4,"maxWaitMs":100}}""",
            }),
        };
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("concurrency_limit", """{"name":"api","maxConcurrentRequests":1,"queue":{"maxSize":4,"maxWaitMs":10000}}""")],
            requests, routes, Workers: 2));

        Assert.Empty(result.ConfigErrors);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(result.Results[i].DownstreamResponse?.Status == 200, result.Describe());
            Assert.Equal(requests[i].Worker, result.Results[i].Worker);
        }
        var shortRoute = result.Results.Skip(3).ToList();
        Assert.Equal(1, shortRoute.Count(r => r.DownstreamResponse?.Status == 200));
        var timedOut = Assert.Single(shortRoute, r => r.LocalReply is not null);
        Assert.Equal(503, timedOut.LocalReply!.Status);
        Assert.Equal("queue_timeout", timedOut.LocalReply.Headers.Get("x-envoyext-concurrency-limited"));
        Assert.Equal("concurrency_limit_queue_timeout", timedOut.LocalReply.Details);
        Assert.Equal(0.0, result.Metric("concurrency_limit_in_flight", ("limiter", "api")));
        Assert.Equal(0.0, result.Metric("concurrency_limit_queued", ("limiter", "api")));
        Assert.Equal(0.0, result.Metric("concurrency_limit_in_flight", ("limiter", "short")));
    }

    [Fact]
    public void After_many_streams_with_resets_and_local_replies_nothing_is_in_flight()
    {
        // Behind the limiter: abi_probe answers some requests itself, test_throw resets others on the response.
        var filters = new[]
        {
            new FilterSpec("concurrency_limit", """{"name":"mixed","maxConcurrentRequests":4,"queue":{"maxSize":1000,"maxWaitMs":5000}}"""),
            new FilterSpec("abi_probe", "{}"),
            new FilterSpec("test_throw", """{"hook":"response_headers","when_header":"x-reset"}"""),
        };
        const int Streams = 100_000;
        var kinds = new[]
        {
            RequestSpec.Get("/a"),
            RequestSpec.Get("/b", ("x-probe-local-reply", "429")),
            RequestSpec.Get("/c", ("x-reset", "1")),
        };
        var requests = Enumerable.Range(0, Streams).Select(i => kinds[i % kinds.Length]).ToList();
        var result = new HostRunner().Run(new Scenario(filters, requests, Workers: 2));

        Assert.Empty(result.ConfigErrors);
        Assert.Equal(Streams, result.Results.Count);
        Assert.Contains(result.Results, r => r.Reset);
        Assert.Contains(result.Results, r => r.LocalReply?.Status == 429);
        Assert.Contains(result.Results, r => r.DownstreamResponse?.Status == 200);
        Assert.Equal(0.0, result.Metric("concurrency_limit_in_flight", ("limiter", "mixed")));
        Assert.Equal(0.0, result.Metric("concurrency_limit_queued", ("limiter", "mixed")));
    }

    [Fact]
    public void An_invalid_document_is_rejected_with_the_field_named()
    {
        var result = HostRunner.Production().Run(new Scenario(
            [new FilterSpec("concurrency_limit", """{"maxConcurrentRequests":4,"queue":{"maxSize":0,"maxWaitMs":10}}""")],
            [RequestSpec.Get("/")]));

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "concurrency_limit");
        Assert.True(result.LogContains("concurrency_limit: invalid filter config: queue.maxSize: must be between 1 and 100000 (got 0)"), result.Describe());
    }
}
