using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.ExtAuth.Tests;

/// <summary>HTTP mode through the fake Envoy: the check request, allow, deny, errors, fail-open, body limits, per route.</summary>
[Collection("FakeEnvoy")]
public sealed class HttpModeTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new ExtAuthFilterFactory());
    private readonly List<FakeStream> _streams = [];

    public void Dispose()
    {
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        _envoy.Dispose();
    }

    private FakeStream Start(string json, out HeadersStatus status, bool endOfStream = true, FakeRouteConfig? route = null, params (string, string)[] extra)
    {
        var config = _envoy.CreateConfig("ext_auth", json);
        var stream = _envoy.NewStream(config, route);
        _streams.Add(stream);
        stream.RequestHeaders.Add(":method", "POST").Add(":path", "/orders?id=1").Add(":authority", "shop.example")
            .Add("authorization", "Bearer abc").Add("x-user", "alice").Add("x-other", "no");
        foreach (var (name, value) in extra)
        {
            stream.RequestHeaders.Add(name, value);
        }
        status = stream.SendRequestHeaders(endOfStream);
        return stream;
    }

    private ulong Counter(string name) => _envoy.Metric(name);

    [Fact]
    public void Sends_the_check_with_method_prefixed_path_host_and_the_chosen_headers_and_waits()
    {
        var stream = Start("""{"cluster":"auth","timeoutMs":250,"pathPrefix":"/check","headersToExtAuth":["x-user"]}""", out var status);

        Assert.Equal(HeadersStatus.StopIteration, status);
        var callout = Assert.Single(stream.Callouts);
        Assert.Equal("auth", callout.Cluster);
        Assert.Equal(250UL, callout.TimeoutMs);
        Assert.Equal(
            [(":method", "POST"), (":path", "/check/orders?id=1"), (":authority", "shop.example"), ("authorization", "Bearer abc"), ("x-user", "alice")],
            callout.Headers);
        Assert.Equal("", callout.Body);
        Assert.Equal(0, stream.ContinueDecodingCount);
    }

    [Fact]
    public void A_2xx_answer_resumes_the_request_and_copies_headersToBackend()
    {
        var stream = Start("""{"cluster":"auth","headersToBackend":["x-user-id","x-absent"]}""", out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "", (":status", "200"), ("x-user-id", "42"), ("x-ignored", "1"));

        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.Null(stream.LocalReply);
        Assert.Equal("42", stream.RequestHeaders.Get("x-user-id"));
        Assert.Null(stream.RequestHeaders.Get("x-ignored"));
        Assert.Equal(1UL, Counter("ext_auth_allowed"));
    }

    [Fact]
    public void A_denial_passes_status_body_and_headers_through_without_hop_by_hop_ones()
    {
        var stream = Start("""{"cluster":"auth"}""", out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "go away",
            (":status", "401"), ("www-authenticate", "Bearer realm=\"shop\""), ("connection", "close"), ("content-length", "7"));

        var reply = Assert.IsType<FakeLocalReply>(stream.LocalReply);
        Assert.Equal(401u, reply.Status);
        Assert.Equal("go away", reply.Body);
        Assert.Equal([("www-authenticate", "Bearer realm=\"shop\"")], reply.Headers);
        Assert.Equal("ext_auth_denied", reply.Details);
        Assert.Equal(0, stream.ContinueDecodingCount);
        Assert.Equal(1UL, Counter("ext_auth_denied"));
    }

    [Theory]
    [InlineData("""{"cluster":"auth"}""", 403u)]
    [InlineData("""{"cluster":"auth","statusOnError":503}""", 503u)]
    public void A_5xx_answer_is_an_error_answered_with_statusOnError(string json, uint expected)
    {
        var stream = Start(json, out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "boom", (":status", "503"));

        Assert.Equal(expected, stream.LocalReply!.Status);
        Assert.Equal("", stream.LocalReply.Body);
        Assert.Equal("ext_auth_error", stream.LocalReply.Details);
        Assert.Equal(1UL, Counter("ext_auth_error"));
        Assert.Equal(0UL, Counter("ext_auth_denied"));
    }

    [Fact]
    public void A_failed_callout_fails_open_when_asked_and_counts_it()
    {
        var stream = Start("""{"cluster":"auth","failOpen":true}""", out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Reset);

        Assert.Null(stream.LocalReply);
        Assert.Equal(1, stream.ContinueDecodingCount);
        Assert.Equal(1UL, Counter("ext_auth_error"));
        Assert.Equal(1UL, Counter("ext_auth_failed_open"));
    }

    [Fact]
    public void A_reset_after_the_whole_timeout_counts_as_a_timeout_and_fails_closed()
    {
        var stream = Start("""{"cluster":"auth","timeoutMs":20}""", out _);
        Thread.Sleep(40);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Reset);

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Equal("ext_auth_timeout", stream.LocalReply.Details);
        Assert.Equal(1UL, Counter("ext_auth_timeout"));
        Assert.Equal(0UL, Counter("ext_auth_error"));
        Assert.True(Counter("ext_auth_check_duration_us") >= 20_000, "the latency histogram holds the waited time in microseconds");
    }

    [Fact]
    public void A_callout_that_cannot_start_fails_at_once_without_waiting()
    {
        var config = _envoy.CreateConfig("ext_auth", """{"cluster":"missing"}""");
        var stream = _envoy.NewStream(config);
        _streams.Add(stream);
        stream.NextCalloutResult = HttpCalloutInitResult.ClusterNotFound;
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/");

        Assert.Equal(HeadersStatus.StopIteration, stream.SendRequestHeaders());
        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Equal(0, stream.ContinueDecodingCount);
    }

    [Theory]
    [InlineData("x-user-id", "1\r\nx-admin: true")]
    [InlineData("x-user-id", "1\nx")]
    public void CR_or_LF_in_a_header_from_the_service_fails_closed(string name, string value)
    {
        var stream = Start("""{"cluster":"auth","headersToBackend":["x-user-id"]}""", out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "", (":status", "200"), (name, value));

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Null(stream.RequestHeaders.Get("x-user-id"));
        Assert.Equal(1UL, Counter("ext_auth_error"));
    }

    [Fact]
    public void An_oversized_header_value_from_the_service_fails_closed()
    {
        var stream = Start("""{"cluster":"auth"}""", out _);

        stream.CompleteCallout(stream.Callouts[0].Id, HttpCalloutResult.Success, "", (":status", "401"), ("x-big", new string('a', 8193)));

        Assert.Equal(403u, stream.LocalReply!.Status);
        Assert.Equal("ext_auth_error", stream.LocalReply.Details);
    }

    [Fact]
    public void The_body_up_to_maxRequestBytes_goes_with_the_check()
    {
        var stream = Start("""{"cluster":"auth","maxRequestBytes":16}""", out var status, endOfStream: false);
        Assert.Equal(HeadersStatus.StopIteration, status);
        Assert.Empty(stream.Callouts);

        Assert.Equal(BodyStatus.StopIterationAndBuffer, stream.SendRequestBody("hello ", endOfStream: false));
        Assert.Equal(BodyStatus.StopIterationAndBuffer, stream.SendRequestBody("world", endOfStream: true));

        var callout = Assert.Single(stream.Callouts);
        Assert.Equal("hello world", callout.Body);
        Assert.Contains(("x-envoy-auth-partial-body", "false"), callout.Headers);
        stream.CompleteCallout(callout.Id, HttpCalloutResult.Success, "", (":status", "204"));
        Assert.Equal(1, stream.ContinueDecodingCount);
    }

    [Fact]
    public void A_body_over_the_limit_gets_413()
    {
        var stream = Start("""{"cluster":"auth","maxRequestBytes":4}""", out _, endOfStream: false);

        Assert.Equal(BodyStatus.StopIterationNoBuffer, stream.SendRequestBody("too long", endOfStream: true));

        Assert.Equal(413u, stream.LocalReply!.Status);
        Assert.Empty(stream.Callouts);
    }

    [Fact]
    public void A_body_over_the_limit_is_sent_cut_when_partial_messages_are_allowed()
    {
        var stream = Start("""{"cluster":"auth","maxRequestBytes":4,"allowPartialMessage":true}""", out _, endOfStream: false);

        Assert.Equal(BodyStatus.StopIterationAndBuffer, stream.SendRequestBody("too long", endOfStream: false));

        var callout = Assert.Single(stream.Callouts);
        Assert.Equal("too ", callout.Body);
        Assert.Contains(("x-envoy-auth-partial-body", "true"), callout.Headers);
        Assert.Equal(BodyStatus.StopIterationAndBuffer, stream.SendRequestBody(" more", endOfStream: true));
    }

    [Fact]
    public void A_route_can_disable_the_check_or_replace_the_service()
    {
        var off = _envoy.CreateRouteConfig("ext_auth", """{"disabled":true}""");
        var free = Start("""{"cluster":"auth"}""", out var freeStatus, route: off);
        Assert.Equal(HeadersStatus.Continue, freeStatus);
        Assert.Empty(free.Callouts);

        var other = _envoy.CreateRouteConfig("ext_auth", """{"cluster":"other-auth","timeoutMs":900}""");
        var checkedElsewhere = Start("""{"cluster":"auth"}""", out _, route: other);
        Assert.Equal("other-auth", checkedElsewhere.Callouts[0].Cluster);
        Assert.Equal(900UL, checkedElsewhere.Callouts[0].TimeoutMs);
    }

    [Fact]
    public void A_late_answer_for_a_pooled_object_serving_a_new_stream_is_ignored()
    {
        var first = Start("""{"cluster":"auth"}""", out _);
        ulong staleId = first.Callouts[0].Id;
        first.Complete();

        first.CompleteCallout(staleId, HttpCalloutResult.Success, "", (":status", "200"));

        Assert.Equal(0, first.ContinueDecodingCount);
        Assert.Equal(0UL, Counter("ext_auth_allowed"));
    }
}
