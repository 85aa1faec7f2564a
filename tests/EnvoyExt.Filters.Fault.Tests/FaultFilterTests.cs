using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.Fault.Tests;

/// <summary>fault through the testing library's fake Envoy: aborts, delays, header control, matchers, the cap, the shares.</summary>
[Collection("FakeEnvoy")]
public sealed class FaultFilterTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new FaultFilterFactory());
    private readonly List<FakeStream> _streams = [];

    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        _envoy.Dispose();
    }

    private FakeStream Start(FakeFilterConfig config, out HeadersStatus status, FakeRouteConfig? route = null, params (string Name, string Value)[] headers)
    {
        var stream = _envoy.NewStream(config, route);
        _streams.Add(stream);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");
        foreach (var (name, value) in headers)
        {
            stream.RequestHeaders.Add(name, value);
        }
        status = stream.SendRequestHeaders();
        return stream;
    }

    private static void End(FakeStream stream)
    {
        stream.Complete();
        stream.Dispose();
    }

    // Scheduler commits come from the rule's timer thread: wait for them with a generous bound.
    private static int RunScheduledWithin(FakeStream stream, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (stream.PendingCommits == 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(5);
        }
        return stream.RunScheduled();
    }

    [Fact]
    public void An_abort_answers_locally_and_counts_until_the_stream_completes()
    {
        var config = _envoy.CreateConfig("fault", """{"name":"t","abort":{"httpStatus":503}}""");
        var stream = Start(config, out var status);

        Assert.Equal(HeadersStatus.StopIteration, status);
        Assert.Equal(503u, stream.LocalReply?.Status);
        Assert.Equal("fault filter abort\n", stream.LocalReply?.Body);
        Assert.Equal("fault_filter_abort", stream.LocalReply?.Details);
        Assert.Equal(1ul, _envoy.Metric("fault_aborts_injected", "t"));
        Assert.Equal(1ul, _envoy.Metric("fault_active", "t"));
        End(stream);
        Assert.Equal(0ul, _envoy.Metric("fault_active", "t"));
    }

    [Fact]
    public void A_grpc_request_gets_the_grpc_status_and_a_plain_request_is_not_aborted_by_a_grpc_only_fault()
    {
        var config = _envoy.CreateConfig("fault", """{"abort":{"grpcStatus":14}}""");
        var grpc = Start(config, out var grpcStatus, headers: ("content-type", "application/grpc+proto"));
        var plain = Start(config, out var plainStatus);

        Assert.Equal(HeadersStatus.StopIteration, grpcStatus);
        Assert.Equal(200u, grpc.LocalReply?.Status);
        Assert.Equal("14", grpc.LocalReply?.Header("grpc-status"));
        Assert.Equal("application/grpc", grpc.LocalReply?.Header("content-type"));
        Assert.Equal(HeadersStatus.Continue, plainStatus);
        Assert.Null(plain.LocalReply);
    }

    [Fact]
    public void A_grpc_request_gets_the_http_status_when_no_grpc_status_is_configured()
    {
        var config = _envoy.CreateConfig("fault", """{"abort":{"httpStatus":429}}""");
        var grpc = Start(config, out _, headers: ("content-type", "application/grpc"));
        Assert.Equal(429u, grpc.LocalReply?.Status);
        Assert.Null(grpc.LocalReply?.Header("grpc-status"));
    }

    [Fact]
    public void A_delay_holds_the_request_until_the_timer_then_continues()
    {
        var config = _envoy.CreateConfig("fault", """{"name":"t","delay":{"fixedDelayMs":30}}""");
        var started = DateTime.UtcNow;
        var stream = Start(config, out var status);

        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, status);
        Assert.Equal(0, stream.ContinueDecodingCount);
        Assert.Equal(1, RunScheduledWithin(stream, TimeSpan.FromSeconds(10)));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(25), "released before the delay");
        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.Null(stream.LocalReply);
        Assert.Equal(1ul, _envoy.Metric("fault_delays_injected", "t"));
        End(stream);
        Assert.Equal(0ul, _envoy.Metric("fault_active", "t"));
    }

    [Fact]
    public void A_delay_with_an_abort_aborts_after_the_delay()
    {
        var config = _envoy.CreateConfig("fault", """{"delay":{"fixedDelayMs":10},"abort":{"httpStatus":504}}""");
        var stream = Start(config, out var status);

        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, status);
        Assert.Null(stream.LocalReply);
        Assert.Equal(1, RunScheduledWithin(stream, TimeSpan.FromSeconds(10)));
        Assert.Equal(504u, stream.LocalReply?.Status);
        Assert.Equal(0, stream.ContinueDecodingCount);
    }

    [Fact]
    public void A_stream_that_ends_while_delayed_leaves_the_timer_and_the_cap()
    {
        var config = _envoy.CreateConfig("fault", """{"name":"t","delay":{"fixedDelayMs":60000},"maxActiveFaults":1}""");
        var first = Start(config, out var s1);
        Start(config, out var s2);
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, s1);
        Assert.Equal(HeadersStatus.Continue, s2);

        End(first);
        Assert.Equal(0ul, _envoy.Metric("fault_active", "t"));
        Start(config, out var s3);
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, s3);
    }

    [Fact]
    public void Header_faults_apply_only_when_header_control_is_enabled()
    {
        var off = _envoy.CreateConfig("fault", """{"delay":{"fixedDelayMs":60000,"percentage":{"numerator":0}}}""");
        var on = _envoy.CreateConfig("fault", """{"headerControl":true}""");
        (string, string) abortHeader = ("x-envoy-fault-abort-request", "418");

        var ignored = Start(off, out var ignoredStatus, headers: abortHeader);
        var honoured = Start(on, out var honouredStatus, headers: abortHeader);
        var grpc = Start(on, out _, headers: [("x-envoy-fault-abort-grpc-request", "8"), ("content-type", "application/grpc")]);
        var delayed = Start(on, out var delayedStatus, headers: ("x-envoy-fault-delay-request", "60000"));
        var none = Start(on, out var noneStatus, headers: [("x-envoy-fault-abort-request", "418"), ("x-envoy-fault-abort-request-percentage", "0")]);
        var bad = Start(on, out var badStatus, headers: ("x-envoy-fault-abort-request", "4x8"));

        Assert.Equal(HeadersStatus.Continue, ignoredStatus);
        Assert.Null(ignored.LocalReply);
        Assert.Equal(HeadersStatus.StopIteration, honouredStatus);
        Assert.Equal(418u, honoured.LocalReply?.Status);
        Assert.Equal("8", grpc.LocalReply?.Header("grpc-status"));
        Assert.Equal(HeadersStatus.StopAllIterationAndWatermark, delayedStatus);
        Assert.Null(delayed.LocalReply);
        Assert.Equal(HeadersStatus.Continue, noneStatus);
        Assert.Null(none.LocalReply);
        Assert.Equal(HeadersStatus.Continue, badStatus);
        Assert.Null(bad.LocalReply);
    }

    [Fact]
    public void Header_control_lowers_a_configured_share_but_never_raises_one_set_to_zero()
    {
        var zero = _envoy.CreateConfig("fault", """{"headerControl":true,"abort":{"httpStatus":503,"percentage":{"numerator":0}}}""");
        var half = _envoy.CreateConfig("fault", """{"headerControl":true,"abort":{"httpStatus":503,"percentage":{"numerator":50}}}""");
        (string, string)[] everyone = [("x-envoy-fault-abort-request", "418"), ("x-envoy-fault-abort-request-percentage", "100")];
        (string, string)[] nobody = [("x-envoy-fault-abort-request", "418"), ("x-envoy-fault-abort-request-percentage", "0")];

        var fromZero = Enumerable.Range(0, 50).Select(_ => Start(zero, out HeadersStatus _, headers: everyone)).Count(s => s.LocalReply is not null);
        var fromHalf = Enumerable.Range(0, 50).Select(_ => Start(half, out HeadersStatus _, headers: nobody)).Count(s => s.LocalReply is not null);
        var halfRaised = Enumerable.Range(0, 400).Select(_ => Start(half, out HeadersStatus _, headers: everyone)).Where(s => s.LocalReply is not null).ToList();

        Assert.Equal(0, fromZero);
        Assert.Equal(0, fromHalf);
        Assert.InRange(halfRaised.Count, 140, 260); // 50 % of 400 stays 50 %: the header asked for 100
        Assert.All(halfRaised, s => Assert.Equal(418u, s.LocalReply?.Status));
    }

    [Fact]
    public void Header_matchers_select_the_requests_a_fault_applies_to()
    {
        var config = _envoy.CreateConfig("fault",
            """{"abort":{"httpStatus":503},"headers":[{"name":"x-user","exact":"bob"},{"name":"x-path","prefix":"/api"},{"name":"x-skip","present":false}]}""");

        var bob = Start(config, out _, headers: [("x-user", "bob"), ("x-path", "/api/orders")]);
        var alice = Start(config, out _, headers: [("x-user", "alice"), ("x-path", "/api/orders")]);
        var other = Start(config, out _, headers: [("x-user", "bob"), ("x-path", "/web")]);
        var skipped = Start(config, out _, headers: [("x-user", "bob"), ("x-path", "/api"), ("x-skip", "1")]);

        Assert.Equal(503u, bob.LocalReply?.Status);
        Assert.Null(alice.LocalReply);
        Assert.Null(other.LocalReply);
        Assert.Null(skipped.LocalReply);
    }

    [Fact]
    public void The_cap_on_active_faults_holds_and_overflow_is_counted()
    {
        var config = _envoy.CreateConfig("fault", """{"name":"t","abort":{"httpStatus":503},"maxActiveFaults":3}""");
        var streams = Enumerable.Range(0, 5).Select(_ => Start(config, out HeadersStatus _)).ToList();

        Assert.Equal(3, streams.Count(s => s.LocalReply is not null));
        Assert.Equal(2ul, _envoy.Metric("fault_active_overflow", "t"));
        Assert.Equal(3ul, _envoy.Metric("fault_active", "t"));
        End(streams[0]);
        Assert.Equal(503u, Start(config, out _).LocalReply?.Status);
    }

    [Fact]
    public void A_route_rule_replaces_the_listener_rule_and_may_not_carry_a_seed()
    {
        var config = _envoy.CreateConfig("fault", """{"abort":{"httpStatus":503}}""");
        var route = _envoy.CreateRouteConfig("fault", """{"abort":{"httpStatus":502}}""");
        Assert.Equal(502u, Start(config, out _, route).LocalReply?.Status);
        Assert.Equal(503u, Start(config, out _).LocalReply?.Status);

        Assert.Null(_envoy.TryCreateRouteConfig("fault", """{"abort":{"httpStatus":502},"seed":1}""", out var error));
        Assert.Contains("seed: only allowed in the listener config", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeded_shares_fall_within_statistical_bounds_and_repeat()
    {
        const int Requests = 20_000;
        // Independent draws: 30 % aborted, 20 % delayed, so 24 % aborted at once (the others abort after
        // their delay). Each count is a binomial; 5 standard deviations of slack.
        const string Json = """{"seed":42,"abort":{"httpStatus":503,"percentage":{"numerator":3000,"denominator":"tenThousand"}},"delay":{"fixedDelayMs":60000,"percentage":{"numerator":20}},"maxActiveFaults":1000000}""";
        var first = Draw(Json, Requests);
        var second = Draw(Json, Requests);

        Assert.InRange(first.Aborted, Expected(Requests, 0.24).Low, Expected(Requests, 0.24).High);
        Assert.InRange(first.Delayed, Expected(Requests, 0.2).Low, Expected(Requests, 0.2).High);
        Assert.Equal(first, second);
    }

    private (int Aborted, int Delayed) Draw(string json, int requests)
    {
        var config = _envoy.CreateConfig("fault", json);
        int aborted = 0;
        int delayed = 0;
        for (int i = 0; i < requests; i++)
        {
            var stream = _envoy.NewStream(config);
            stream.RequestHeaders.Add(":path", "/");
            var status = stream.SendRequestHeaders();
            delayed += status == HeadersStatus.StopAllIterationAndWatermark ? 1 : 0;
            aborted += status == HeadersStatus.StopIteration && stream.LocalReply?.Status == 503 ? 1 : 0;
            stream.Complete();
            stream.Dispose();
        }
        _envoy.DestroyConfig(config);
        return (aborted, delayed);
    }

    private static (int Low, int High) Expected(int n, double p)
    {
        double mean = n * p;
        double slack = 5 * Math.Sqrt(n * p * (1 - p));
        return ((int)(mean - slack), (int)(mean + slack));
    }
}

[CollectionDefinition("FakeEnvoy", DisableParallelization = true)]
public sealed class FakeEnvoyCollection;
