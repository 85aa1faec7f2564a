using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Adapter;

/// <summary>
/// Costs taken from the response (<c>costFrom</c>) through the SDK adapter: the request is admitted on its
/// pre-charge, the response's header or JSON body field says what it cost, and the excess is charged to the
/// same bucket (which may run dry until its window ends).
/// </summary>
[Collection("FakeEnvoy")]
public sealed class ResponseCostTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeEnvoy _envoy;

    public ResponseCostTests() => _envoy = new FakeEnvoy(new RateLimitFilterFactory(_clock));

    public void Dispose() => _envoy.Dispose();

    private static string Config(string costFrom, long requests = 100, string selectors = "", string cost = "") => $$"""
        {"name":"default/llm","rules":[{"name":"tokens",{{selectors}}"limit":{"requests":{{requests}},"unit":"Minute"},{{cost}}
          "costFrom":{{costFrom}}}]}
        """;

    private const string BodyField = """{"bodyField":"usage.total_tokens"}""";
    private const string Header = """{"header":"x-tokens-used"}""";

    private FakeStream Request(FakeFilterConfig config, string? user = null)
    {
        var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "POST").Add(":path", "/v1/chat").Add(":authority", "example.com");
        if (user is not null)
        {
            stream.RequestHeaders.Add("x-user", user);
        }
        return stream;
    }

    /// <summary>One exchange whose upstream answers <paramref name="frames"/> (JSON), or nothing when limited.</summary>
    private HeadersStatus Exchange(FakeFilterConfig config, string? user = null, params string[] frames)
    {
        using var stream = Request(config, user);
        var status = stream.SendRequestHeaders();
        if (status != HeadersStatus.Continue)
        {
            return status;
        }
        stream.ResponseHeaders.Add(":status", "200").Add("content-type", "application/json");
        stream.SendResponseHeaders(endOfStream: frames.Length == 0);
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(BodyStatus.Continue, stream.SendResponseBody(frames[i], endOfStream: i == frames.Length - 1));
        }
        stream.Complete();
        return status;
    }

    private static string Usage(int tokens) => $$$"""{"id":"c1","usage":{"prompt_tokens":1,"total_tokens":{{{tokens}}}}}""";

    /// <summary>How many requests in a row pass now (each answering a cost of 0, so nothing more is charged).</summary>
    private int PassingNow(FakeFilterConfig config, string? user = null)
    {
        int passed = 0;
        while (passed < 1000 && Exchange(config, user, Usage(0)) == HeadersStatus.Continue)
        {
            passed++;
        }
        return passed;
    }

    [Fact]
    public void The_body_field_charges_the_excess_over_the_pre_charge()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField));

        // Pre-charge 1, response says 30: 30 of 100 gone.
        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, Usage(30)));

        Assert.Equal(70, PassingNow(config));
        Assert.Equal(0UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
    }

    [Fact]
    public void A_field_split_across_frames_is_found_and_the_frames_pass_on_untouched()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField));
        using var stream = Request(config);
        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
        stream.ResponseHeaders.Add(":status", "200");
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders(endOfStream: false));
        Assert.Equal(BodyStatus.Continue, stream.SendResponseBody("""{"usage":{"total_to""", endOfStream: false));
        Assert.Equal(BodyStatus.Continue, stream.SendResponseBody("""kens":50}}""", endOfStream: true));
        stream.Complete();

        Assert.Equal(50, PassingNow(config));
    }

    [Fact]
    public void A_response_header_gives_the_cost()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(Header, requests: 10, cost: "\"cost\":0,"));
        using (var stream = Request(config))
        {
            Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
            stream.ResponseHeaders.Add(":status", "200").Add("x-tokens-used", "8");
            stream.SendResponseHeaders();
        }

        // Pre-charge 0 (check only), then 8 of 10 charged: two more requests with cost 0 pass... until one costs.
        using (var stream = Request(config))
        {
            Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
            stream.ResponseHeaders.Add(":status", "200").Add("x-tokens-used", "2");
            stream.SendResponseHeaders();
        }
        using var refused = Request(config);
        Assert.Equal(HeadersStatus.StopIteration, refused.SendRequestHeaders());
        Assert.Equal(429u, refused.LocalReply!.Status);
    }

    [Fact]
    public void A_cost_beyond_what_is_left_empties_the_bucket_until_its_window_ends()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 10));

        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, Usage(500)));
        Assert.Equal(HeadersStatus.StopIteration, Exchange(config));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(10, PassingNow(config));
    }

    [Fact]
    public void A_cost_below_the_pre_charge_refunds_nothing()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 10, cost: "\"cost\":4,"));

        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, Usage(1)));

        // 4 taken up front stay taken: 6 left, one 4-token request fits, then 2 are left.
        Assert.Equal(1, PassingNow(config));
    }

    [Theory]
    [InlineData("""{"usage":{"total_tokens":-5}}""")]
    [InlineData("""{"usage":{"prompt_tokens":5}}""")]
    [InlineData("""upstream error""")]
    public void A_missing_or_invalid_cost_charges_nothing_extra_and_is_counted(string body)
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 10));

        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, body));

        Assert.Equal(1UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
        Assert.Equal(9, PassingNow(config));
    }

    [Fact]
    public void A_response_without_a_body_counts_as_missing()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 10));

        Assert.Equal(HeadersStatus.Continue, Exchange(config));

        Assert.Equal(1UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
    }

    [Fact]
    public void Only_the_first_max_body_bytes_are_inspected()
    {
        var config = _envoy.CreateConfig("rate_limit",
            Config("""{"bodyField":"usage.total_tokens","maxBodyBytes":64}""", requests: 100));
        string padding = "\"pad\":\"" + new string('x', 200) + "\",";

        // The field lies beyond the first 64 bytes: not seen, counted, nothing charged.
        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, "{" + padding, """ "usage":{"total_tokens":90}}"""));
        Assert.Equal(1UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
        // Within the first 64 bytes of a longer body: found and charged.
        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, """{"usage":{"total_tokens":50},""" + padding + "\"end\":1}"));

        Assert.Equal(100 - 1 - 50, PassingNow(config));
    }

    [Fact]
    public void A_distinct_value_pays_its_own_cost()
    {
        const string Selectors = """ "clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}], """;
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 20, selectors: Selectors));

        Assert.Equal(HeadersStatus.Continue, Exchange(config, "alice", Usage(15)));

        Assert.Equal(5, PassingNow(config, "alice"));
        Assert.Equal(20, PassingNow(config, "bob"));
    }

    [Fact]
    public void A_limited_request_is_not_charged_after_its_local_reply()
    {
        var config = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 1));
        Assert.Equal(HeadersStatus.Continue, Exchange(config, null, Usage(1)));

        using var limited = Request(config);
        Assert.Equal(HeadersStatus.StopIteration, limited.SendRequestHeaders());
        limited.Complete();

        Assert.Equal(0UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
    }

    [Fact]
    public void A_pooled_filter_object_does_not_carry_a_pending_cost_into_the_next_stream()
    {
        var withCost = _envoy.CreateConfig("rate_limit", Config(BodyField, requests: 10));
        var plain = _envoy.CreateConfig("rate_limit", """{"rules":[{"name":"r","limit":{"requests":10,"unit":"Minute"}}]}""");

        // The first stream ends without its body; the next stream on the pooled object has no cost rules.
        using (var stream = Request(withCost))
        {
            stream.SendRequestHeaders();
            stream.ResponseHeaders.Add(":status", "200");
            stream.SendResponseHeaders(endOfStream: false);
            stream.SendResponseBody("""{"usage":{"total_tokens":3""", endOfStream: false);
            stream.Complete();
        }
        using (var stream = Request(plain))
        {
            stream.SendRequestHeaders();
            stream.ResponseHeaders.Add(":status", "200");
            stream.SendResponseHeaders(endOfStream: false);
            stream.SendResponseBody("""{"usage":{"total_tokens":9}}""");
            stream.Complete();
        }

        // The cut-short body's prefix never closed its number: counted as missing once, nothing charged anywhere.
        Assert.Equal(1UL, _envoy.Metric("rate_limit_response_cost_invalid", "default/llm", "tokens"));
        Assert.Equal(9, PassingNow(withCost));
    }

    [Fact]
    public void The_excess_goes_to_the_entry_that_admitted_the_request_never_to_one_made_after_it()
    {
        // One shared per-value table with room for one value. For x-user alice, x-team red: "tokens" charges
        // alice's entry, "team" gives that entry to red, "again" gives it back to a new alice bucket. The
        // bucket that admitted the request is gone, so its excess is charged nowhere; looking alice up again
        // would have charged the new bucket, which never admitted this request.
        const string Rules = """
            {"name":"default/llm","maxDistinctBuckets":1,"response":{"rateLimitHeaders":true},"rules":[
             {"name":"tokens","shared":"q","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
              "limit":{"requests":100,"unit":"Minute"},"costFrom":{"header":"x-tokens-used"}},
             {"name":"team","shared":"q","clientSelectors":[{"headers":[{"name":"x-team","type":"Distinct"}]}],
              "limit":{"requests":100,"unit":"Minute"}},
             {"name":"again","shared":"q","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
              "limit":{"requests":100,"unit":"Minute"}}]}
            """;
        var config = _envoy.CreateConfig("rate_limit", Rules);
        using (var stream = Request(config, "alice"))
        {
            stream.RequestHeaders.Add("x-team", "red");
            Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
            stream.ResponseHeaders.Add(":status", "200").Add("x-tokens-used", "51");
            stream.SendResponseHeaders();
            stream.Complete();
        }
        Assert.Equal(2UL, _envoy.Metric("rate_limit_distinct_evictions", "default/llm", "team")
            + _envoy.Metric("rate_limit_distinct_evictions", "default/llm", "again"));

        // alice's new bucket: 1 from "again" above, 1 each from "tokens" and "again" now; not the 50 extra.
        using var next = Request(config, "alice");
        Assert.Equal(HeadersStatus.Continue, next.SendRequestHeaders());
        next.ResponseHeaders.Add(":status", "200").Add("x-tokens-used", "1");
        next.SendResponseHeaders();
        Assert.Equal("97", next.ResponseHeaders.Get("x-ratelimit-remaining"));
    }
}
