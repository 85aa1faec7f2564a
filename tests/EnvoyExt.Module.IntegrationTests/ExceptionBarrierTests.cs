using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>An exception in a C# hook never crosses into the host: the stream fails, the process lives.</summary>
public class ExceptionBarrierTests
{
    private readonly HostRunner _host = new();

    private static Scenario Throwing(string hook, params RequestSpec[] requests) =>
        new([new FilterSpec("test_throw", $$"""{"hook":"{{hook}}","when_header":"x-throw"}""")], requests, Workers: 2);

    private static RequestSpec Armed(RequestSpec r) => r with { Headers = [.. r.Headers, ("x-throw", "1")] };

    [Fact]
    public void Request_headers_exception_gives_500_and_later_requests_are_served()
    {
        var result = _host.Run(Throwing("request_headers",
            Armed(RequestSpec.Get("/1")), RequestSpec.Get("/2"), Armed(RequestSpec.Get("/3")), RequestSpec.Get("/4")));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([500, 200, 500, 200], result.Results.Select(r => r.DownstreamResponse!.Status));
        Assert.Equal("envoyext_filter_exception", result.Results[0].LocalReply!.Details);
        Assert.Null(result.Results[0].UpstreamRequest);
        Assert.NotNull(result.Results[1].UpstreamRequest);
        Assert.True(result.LogContains("test_throw: exception in request_headers: System.InvalidOperationException: test_throw: deliberate failure in request_headers"),
            result.Describe());
        Assert.Contains(result.Logs, l => l.Level == "error" && l.Message.Contains("exception in request_headers"));
    }

    [Fact]
    public void A_filter_that_cannot_begin_its_stream_answers_500_not_a_reset_logged_once_per_stream()
    {
        // CreateFilter throws on every stream: each fails at its first hook. Its 500 is then announced to
        // this filter (local_reply) and sent through its response hooks; both must pass it through. One
        // worker, one request after the other: the later streams reuse the first one's pooled slot.
        var scenario = new Scenario([new FilterSpec("test_throw", """{"hook":"new"}""")],
            [RequestSpec.Get("/1"), RequestSpec.Get("/2"), RequestSpec.Get("/3")], Workers: 1, Sequential: true);

        var result = _host.Run(scenario);

        Assert.Equal(0, result.ExitCode);
        Assert.All(result.Results, r =>
        {
            Assert.False(r.Reset, result.Describe());
            Assert.Equal(500, r.DownstreamResponse?.Status);
            Assert.Equal("envoyext_filter_exception", r.LocalReply?.Details);
            Assert.Null(r.UpstreamRequest);
        });
        var failures = result.Logs.Where(l => l.Message.Contains("test_throw: exception in", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, l => Assert.Contains("exception in request_headers: System.InvalidOperationException: test_throw: deliberate failure in new", l.Message));
    }

    [Fact]
    public void Request_body_exception_gives_500()
    {
        var result = _host.Run(Throwing("request_body", Armed(RequestSpec.Post("/b", ["data"]))));

        Assert.Equal(500, Assert.Single(result.Results).LocalReply!.Status);
        Assert.True(result.LogContains("exception in request_body"), result.Describe());
    }

    [Fact]
    public void Request_trailers_exception_gives_500()
    {
        var request = Armed(RequestSpec.Post("/t", ["data"])) with { Trailers = [("x-t", "1")] };
        var result = _host.Run(Throwing("request_trailers", request));

        var r = Assert.Single(result.Results);
        Assert.Equal(500, r.LocalReply!.Status);
        // Headers and body were already streamed upstream; the trailers the filter failed on were not.
        Assert.False(r.UpstreamRequest?.Trailers.Has("x-t") ?? false, result.Describe());
        Assert.True(result.LogContains("exception in request_trailers"), result.Describe());
    }

    [Theory]
    [InlineData("response_headers")]
    [InlineData("response_body")]
    [InlineData("response_trailers")]
    public void Response_path_exception_resets_the_stream(string hook)
    {
        var request = Armed(RequestSpec.Get("/r")) with { Upstream = new UpstreamSpec(200, [], ["body"], [("x-rt", "1")]) };
        var result = _host.Run(Throwing(hook, request, RequestSpec.Get("/next")));

        Assert.True(result.Results[0].Reset, result.Describe());
        Assert.False(result.Results[1].Reset);
        Assert.Equal(200, result.Results[1].DownstreamResponse!.Status);
        Assert.True(result.LogContains("exception in " + hook), result.Describe());
    }

    [Fact]
    public void Stream_complete_exception_is_only_logged()
    {
        var result = _host.Run(Throwing("stream_complete", Armed(RequestSpec.Get("/s"))));

        var r = Assert.Single(result.Results);
        Assert.Equal(200, r.DownstreamResponse!.Status);
        Assert.False(r.Reset);
        Assert.True(result.LogContains("exception in stream_complete"), result.Describe());
    }

    [Fact]
    public void Local_reply_hook_exception_turns_the_reply_into_a_reset()
    {
        var scenario = new Scenario(
            [new FilterSpec("test_throw", """{"hook":"local_reply","when_header":"x-throw"}"""), AbiProbeScenarios.Probe()],
            [Armed(RequestSpec.Get("/l", ("x-probe-local-reply", "403"))), RequestSpec.Get("/l", ("x-probe-local-reply", "403"))]);

        var result = _host.Run(scenario);

        Assert.True(result.Results[0].Reset, result.Describe()); // ContinueAndResetStream from the barrier
        Assert.False(result.Results[1].Reset);
        Assert.Equal(403, result.Results[1].DownstreamResponse!.Status);
        Assert.True(result.LogContains("test_throw: exception in local_reply"), result.Describe());
    }
}
