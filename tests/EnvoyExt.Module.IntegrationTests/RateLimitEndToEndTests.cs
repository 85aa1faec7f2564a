using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// The rate_limit filter (docs/filters/rate-limit.md) driven through the real libenvoyext.so and the ABI
/// host, with requests spread over several worker threads that share the buckets.
/// </summary>
public class RateLimitEndToEndTests
{
    private const int Workers = 4;

    private readonly HostRunner _host = HostRunner.Production();

    /// <summary><paramref name="count"/> GETs of <paramref name="path"/>, dealt to the workers in turn.</summary>
    private static IEnumerable<RequestSpec> Burst(string path, int count, params (string Name, string Value)[] headers) =>
        Enumerable.Range(0, count).Select(i => RequestSpec.Get(path, headers) with { Worker = i % Workers });

    private static bool Passed(RequestResult r) => r.LocalReply is null && r.UpstreamRequest is not null && r.DownstreamResponse?.Status == 200;

    private HostResult Run(string listenerConfig, IEnumerable<RequestSpec> requests, IReadOnlyList<RouteSpec>? routes = null)
    {
        var result = _host.Run(new Scenario([new FilterSpec("rate_limit", listenerConfig)], [.. requests], routes, Workers: Workers));
        Assert.True(result.ProgramInit.Loaded, result.Describe());
        return result;
    }

    [Fact]
    public void A_burst_across_workers_lets_exactly_the_limit_through()
    {
        const string Config = """
            {"name":"default/api","rules":[{"name":"api","clientSelectors":[{"path":{"type":"PathPrefix","value":"/api"}}],
              "limit":{"requests":7,"unit":"Minute"}}]}
            """;

        var result = Run(Config, Burst("/api/items", 60));

        Assert.Empty(result.ConfigErrors);
        Assert.Equal(60, result.Results.Count);
        Assert.True(result.Results.Select(r => r.Worker).Distinct().Count() > 1, "requests should run on several workers");
        var passed = result.Results.Where(Passed).ToList();
        var limited = result.Results.Where(r => r.LocalReply is not null).ToList();
        Assert.Equal(7, passed.Count);
        Assert.Equal(53, limited.Count);
        Assert.All(limited, r =>
        {
            Assert.Equal(429, r.LocalReply!.Status);
            Assert.Equal("rate_limited", r.LocalReply.Details);
            Assert.Null(r.UpstreamRequest);
            var h = r.LocalReply.Headers;
            Assert.Equal("true", h.Get("x-envoy-ratelimited"));
            Assert.Equal("7", h.Get("x-ratelimit-limit"));
            Assert.Equal("0", h.Get("x-ratelimit-remaining"));
            int reset = int.Parse(h.Get("x-ratelimit-reset")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(reset, 1, 60);
            Assert.Equal(h.Get("x-ratelimit-reset"), h.Get("retry-after"));
        });
        // Every allowed response reports the quota; together they count the bucket down 6..0.
        Assert.All(passed, r => Assert.Equal("7", r.DownstreamResponse!.Headers.Get("x-ratelimit-limit")));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6"],
            passed.Select(r => r.DownstreamResponse!.Headers.Get("x-ratelimit-remaining")).Order(StringComparer.Ordinal));
        Assert.All(passed, r => Assert.False(r.DownstreamResponse!.Headers.Has("retry-after")));
        Assert.Equal(7, result.Metric("rate_limit_allowed", ("policy", "default/api"), ("rule", "api")));
        Assert.Equal(53, result.Metric("rate_limit_limited", ("policy", "default/api"), ("rule", "api")));
    }

    [Fact]
    public void Requests_no_rule_matches_pass_without_headers()
    {
        const string Config = """{"rules":[{"clientSelectors":[{"path":{"type":"PathPrefix","value":"/api"}}],"limit":{"requests":1,"unit":"Hour"}}]}""";

        var result = Run(Config, Burst("/static/app.js", 8));

        Assert.All(result.Results, r =>
        {
            Assert.True(Passed(r), $"request {r.Index} was not passed");
            Assert.False(r.DownstreamResponse!.Headers.Has("x-ratelimit-limit"));
        });
        Assert.Null(result.Metric("rate_limit_allowed", ("policy", "default"), ("rule", "rule-0")));
    }

    [Fact]
    public void A_per_route_config_can_disable_or_replace_the_listener_config()
    {
        const string Listener = """{"name":"listener","rules":[{"name":"all","limit":{"requests":2,"unit":"Hour"}}]}""";
        var routes = new List<RouteSpec>
        {
            new("free", "/free", new Dictionary<string, string> { ["rate_limit"] = """{"disabled":true}""" }),
            new("strict", "/strict", new Dictionary<string, string>
            {
                ["rate_limit"] = """{"name":"route-policy","rules":[{"name":"one","limit":{"requests":1,"unit":"Hour"}}],"response":{"statusCode":503}}""",
            }),
            new("default", "/"),
        };

        var result = Run(Listener, [.. Burst("/free/x", 10), .. Burst("/strict/x", 5), .. Burst("/other", 6)], routes);

        Assert.Empty(result.ConfigErrors);
        var free = result.Results.Take(10).ToList();
        var strict = result.Results.Skip(10).Take(5).ToList();
        var other = result.Results.Skip(15).ToList();
        Assert.All(free, r =>
        {
            Assert.True(Passed(r));
            Assert.False(r.DownstreamResponse!.Headers.Has("x-ratelimit-limit"));
        });
        Assert.Equal(1, strict.Count(Passed));
        Assert.All(strict.Where(r => !Passed(r)), r => Assert.Equal(503, r.LocalReply!.Status));
        Assert.Equal(2, other.Count(Passed));
        Assert.Equal(4, other.Count(r => r.LocalReply?.Status == 429));
        // Each config counts under its own policy label; the disabled route counts nowhere.
        Assert.Equal(1, result.Metric("rate_limit_allowed", ("policy", "route-policy"), ("rule", "one")));
        Assert.Equal(4, result.Metric("rate_limit_limited", ("policy", "route-policy"), ("rule", "one")));
        Assert.Equal(2, result.Metric("rate_limit_allowed", ("policy", "listener"), ("rule", "all")));
        Assert.Equal(4, result.Metric("rate_limit_limited", ("policy", "listener"), ("rule", "all")));
    }

    [Fact]
    public void Distinct_values_get_their_own_buckets_across_workers()
    {
        const string Config = """
            {"name":"users","rules":[{"name":"per-user",
              "clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":2,"unit":"Hour"}}]}
            """;
        var users = new[] { "alice", "bob", "carol" };

        var result = Run(Config, users.SelectMany(u => Burst("/", 6, ("x-user", u))));

        for (int u = 0; u < users.Length; u++)
        {
            Assert.Equal(2, result.Results.Skip(u * 6).Take(6).Count(Passed));
        }
        Assert.Equal(6, result.Metric("rate_limit_allowed", ("policy", "users"), ("rule", "per-user")));
        Assert.Equal(12, result.Metric("rate_limit_limited", ("policy", "users"), ("rule", "per-user")));
    }

    [Fact]
    public void Distinct_buckets_are_bounded_and_evictions_are_counted()
    {
        // Five clients, room for two buckets: every new client after the second evicts one, whatever the
        // order in which the workers run them.
        const string Config = """
            {"name":"users","maxDistinctBuckets":2,"rules":[{"name":"per-user",
              "clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":1,"unit":"Hour"}}]}
            """;
        var requests = Enumerable.Range(0, 5).Select(i => RequestSpec.Get("/", ("x-user", $"user-{i}")) with { Worker = i % Workers });

        var result = Run(Config, requests);

        Assert.All(result.Results, r => Assert.True(Passed(r)));
        Assert.Equal(5, result.Metric("rate_limit_allowed", ("policy", "users"), ("rule", "per-user")));
        Assert.Equal(3, result.Metric("rate_limit_distinct_evictions", ("policy", "users"), ("rule", "per-user")));
    }

    [Fact]
    public void Source_cidr_distinct_limits_each_client_address()
    {
        const string Config = """
            {"rules":[{"name":"per-ip","clientSelectors":[{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8"}}],
              "limit":{"requests":1,"unit":"Minute"}}]}
            """;
        var requests = new[] { "10.0.0.1:1000", "10.0.0.1:1001", "10.0.0.2:1000", "192.168.0.1:1000", "192.168.0.1:1001" }
            .Select((source, i) => RequestSpec.Get("/") with { SourceAddress = source, Worker = i % Workers });

        var result = Run(Config, requests);

        // 10.0.0.1 gets one request through (either of its two, the workers race); 10.0.0.2 has its own
        // bucket; 192.168.0.1 is outside the CIDR, so no rule applies to it.
        Assert.Equal(1, result.Results.Take(2).Count(Passed));
        Assert.All(result.Results.Skip(2), r => Assert.True(Passed(r)));
        Assert.Equal(2, result.Metric("rate_limit_allowed", ("policy", "default"), ("rule", "per-ip")));
        Assert.Equal(1, result.Metric("rate_limit_limited", ("policy", "default"), ("rule", "per-ip")));
    }

    [Fact]
    public void The_limited_response_is_configurable_and_headers_can_be_switched_off()
    {
        const string Config = """
            {"rules":[{"limit":{"requests":1,"unit":"Hour"}}],
             "response":{"statusCode":503,"body":"quota exceeded\n","headers":[{"name":"x-why","value":"quota"}],
                         "rateLimitHeaders":false,"retryAfter":false}}
            """;

        var result = Run(Config, Burst("/", 3));

        // The workers race, so any one of the three may be the request that passes.
        var passed = Assert.Single(result.Results, Passed);
        Assert.False(passed.DownstreamResponse!.Headers.Has("x-ratelimit-limit"));
        Assert.All(result.Results.Where(r => !Passed(r)), r =>
        {
            var reply = r.LocalReply!;
            Assert.Equal(503, reply.Status);
            Assert.Equal("quota exceeded\n", reply.Body);
            Assert.Equal("quota", reply.Headers.Get("x-why"));
            Assert.Equal("true", reply.Headers.Get("x-envoy-ratelimited"));
            Assert.False(reply.Headers.Has("x-ratelimit-limit"));
            Assert.False(reply.Headers.Has("retry-after"));
        });
    }

    [Fact]
    public void Shadow_mode_counts_but_never_limits()
    {
        const string Config = """{"rules":[{"name":"trial","limit":{"requests":2,"unit":"Hour"},"shadowMode":true}]}""";

        var result = Run(Config, Burst("/", 6));

        Assert.All(result.Results, r => Assert.True(Passed(r)));
        Assert.Equal(2, result.Metric("rate_limit_allowed", ("policy", "default"), ("rule", "trial")));
        Assert.Equal(4, result.Metric("rate_limit_shadow_limited", ("policy", "default"), ("rule", "trial")));
    }

    [Theory]
    [InlineData("""{"rules":[{"clientSelectors":[{"headers":[{"name":"x","type":"RegularExpression","value":"(a"}]}],"limit":{"requests":1,"unit":"Second"}}]}""",
        "rate_limit: invalid filter config: rules[0].clientSelectors[0].headers[0].value: invalid regular expression")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"Fortnight"}}]}""",
        "rate_limit: invalid filter config: rules[0].limit.unit: must be one of Second, Minute, Hour, Day, Week, Month, Year")]
    [InlineData("""{"response":{"colour":"red"}}""", "rate_limit: invalid filter config: response.colour: unknown field")]
    [InlineData("""{"rules":[{"clientSelectors":[{"sourceCIDR":{"type":"Exact","value":"10.0.0.0/40"}}],"limit":{"requests":1,"unit":"Second"}}]}""",
        "rate_limit: invalid filter config: rules[0].clientSelectors[0].sourceCIDR.value: invalid prefix length")]
    public void An_invalid_listener_config_is_rejected_with_the_field_named(string config, string expectedLog)
    {
        var result = Run(config, Burst("/", 1));

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "rate_limit" && e.Route is null);
        Assert.True(result.LogContains(expectedLog), $"expected log '{expectedLog}'\n{result.Describe()}");
        Assert.True(Passed(Assert.Single(result.Results)));
    }

    [Fact]
    public void An_invalid_per_route_config_is_rejected_with_the_field_named()
    {
        var routes = new List<RouteSpec>
        {
            new("bad", "/bad", new Dictionary<string, string> { ["rate_limit"] = """{"disabled":true,"rules":[]}""" }),
        };

        var result = Run("""{"rules":[]}""", Burst("/bad", 1), routes);

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "rate_limit" && e.Route == "bad");
        Assert.True(result.LogContains("disabled: must be the only field when true"), result.Describe());
    }
}
