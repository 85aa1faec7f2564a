using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Adapter;

/// <summary>
/// The rate_limit filter's SDK adapter (RateLimitFilter, its factory and config) against the testing
/// library's fake Envoy: local replies, quota headers on the response, per-route override, metrics
/// and the pooled object's state between streams.
/// </summary>
[Collection("FakeEnvoy")]
public sealed class RateLimitFilterAdapterTests : IDisposable
{
    private const string TwoPerMinute = """
        {"name":"default/api","rules":[{"name":"api","clientSelectors":[{"path":{"type":"PathPrefix","value":"/api"}}],
          "limit":{"requests":2,"unit":"Minute"}}]}
        """;

    private readonly FakeClock _clock = new();
    private readonly FakeEnvoy _envoy;

    public RateLimitFilterAdapterTests() => _envoy = new FakeEnvoy(new RateLimitFilterFactory(_clock));

    public void Dispose() => _envoy.Dispose();

    private FakeStream Request(FakeFilterConfig config, string path, FakeRouteConfig? route = null)
    {
        var stream = _envoy.NewStream(config, route);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", path).Add(":authority", "example.com");
        return stream;
    }

    [Fact]
    public void Allowed_requests_continue_and_get_the_quota_on_the_response()
    {
        var config = _envoy.CreateConfig("rate_limit", TwoPerMinute);
        using var stream = Request(config, "/api/items");

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
        stream.ResponseHeaders.Add(":status", "200");
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders());

        Assert.Null(stream.LocalReply);
        Assert.Equal("2", stream.ResponseHeaders.Get("x-ratelimit-limit"));
        Assert.Equal("1", stream.ResponseHeaders.Get("x-ratelimit-remaining"));
        Assert.Equal("60", stream.ResponseHeaders.Get("x-ratelimit-reset"));
        Assert.Equal(1UL, _envoy.Metric("rate_limit_allowed", "default/api", "api"));
    }

    [Fact]
    public void Over_the_limit_a_local_429_with_quota_and_retry_after_stops_the_request()
    {
        var config = _envoy.CreateConfig("rate_limit", TwoPerMinute);
        for (var i = 0; i < 2; i++)
        {
            using var allowed = Request(config, "/api/items");
            Assert.Equal(HeadersStatus.Continue, allowed.SendRequestHeaders());
        }
        using var limited = Request(config, "/api/items");

        Assert.Equal(HeadersStatus.StopIteration, limited.SendRequestHeaders());

        var reply = limited.LocalReply!;
        Assert.Equal(429u, reply.Status);
        Assert.Equal("rate_limited", reply.Details);
        Assert.Equal("true", reply.Header("x-envoy-ratelimited"));
        Assert.Equal("2", reply.Header("x-ratelimit-limit"));
        Assert.Equal("0", reply.Header("x-ratelimit-remaining"));
        Assert.Equal(reply.Header("x-ratelimit-reset"), reply.Header("retry-after"));
        Assert.Equal(1UL, _envoy.Metric("rate_limit_limited", "default/api", "api"));
    }

    [Fact]
    public void A_reused_filter_object_does_not_carry_quota_headers_into_the_next_stream()
    {
        var config = _envoy.CreateConfig("rate_limit", TwoPerMinute);
        using (var counted = Request(config, "/api/items"))
        {
            counted.SendRequestHeaders();
        }
        using var unmatched = Request(config, "/static/app.js");
        unmatched.SendRequestHeaders();
        unmatched.ResponseHeaders.Add(":status", "200");
        unmatched.SendResponseHeaders();

        Assert.Null(unmatched.ResponseHeaders.Get("x-ratelimit-limit"));
    }

    [Fact]
    public void A_per_route_config_replaces_the_listener_policy_or_disables_it()
    {
        var config = _envoy.CreateConfig("rate_limit", TwoPerMinute);
        var strict = _envoy.CreateRouteConfig("rate_limit", """{"name":"strict","rules":[{"name":"one","limit":{"requests":1,"unit":"Hour"}}]}""");
        var off = _envoy.CreateRouteConfig("rate_limit", """{"disabled":true}""");

        using (var first = Request(config, "/api/a", strict))
        {
            Assert.Equal(HeadersStatus.Continue, first.SendRequestHeaders());
        }
        using (var second = Request(config, "/api/a", strict))
        {
            Assert.Equal(HeadersStatus.StopIteration, second.SendRequestHeaders());
            Assert.Equal("1", second.LocalReply!.Header("x-ratelimit-limit"));
        }
        for (var i = 0; i < 5; i++)
        {
            using var free = Request(config, "/api/b", off);
            Assert.Equal(HeadersStatus.Continue, free.SendRequestHeaders());
            Assert.Null(free.LocalReply);
        }
        Assert.Equal(0UL, _envoy.Metric("rate_limit_allowed", "default/api", "api"));
        Assert.Equal(1UL, _envoy.Metric("rate_limit_limited", "strict", "one"));
    }

    [Fact]
    public void Invalid_configs_are_rejected_with_the_field_named()
    {
        Assert.Null(_envoy.TryCreateConfig("rate_limit", """{"rules":[{"limit":{"requests":0,"unit":"Minute"}}]}""", out var error));
        Assert.Equal("rate_limit: invalid filter config: rules[0].limit.requests: must be >= 1 (got 0)", error);
        Assert.Null(_envoy.TryCreateRouteConfig("rate_limit", """{"disabled":"yes"}""", out var routeError));
        Assert.StartsWith("rate_limit: invalid per-route config: disabled", routeError);
    }

    [Fact]
    public void The_window_refills_on_the_clock()
    {
        var config = _envoy.CreateConfig("rate_limit", TwoPerMinute);
        for (var i = 0; i < 2; i++)
        {
            using var allowed = Request(config, "/api/items");
            allowed.SendRequestHeaders();
        }
        _clock.Advance(TimeSpan.FromMinutes(1));
        using var next = Request(config, "/api/items");

        Assert.Equal(HeadersStatus.Continue, next.SendRequestHeaders());
    }
}

/// <summary>Fake Envoys share the SDK's process-wide callback table with nothing else here, but keep them serial.</summary>
[CollectionDefinition("FakeEnvoy", DisableParallelization = true)]
public sealed class FakeEnvoyCollection;
