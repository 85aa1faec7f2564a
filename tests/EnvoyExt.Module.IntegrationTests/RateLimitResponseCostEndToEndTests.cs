using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>
/// rate_limit costs taken from the response (docs/filters/rate-limit.md, "Costs from the response") through the
/// real libenvoyext.so and the ABI host: the upstream answers like an LLM API, <c>{"usage":{"total_tokens":N}}</c>,
/// in several frames, and the tokens it reports are charged after the response.
/// </summary>
public class RateLimitResponseCostEndToEndTests
{
    private const string Config = """
        {"name":"default/llm","rules":[{"name":"tokens","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
          "limit":{"requests":100,"unit":"Hour"},"costFrom":{"bodyField":"usage.total_tokens"}}]}
        """;

    private readonly HostRunner _host = HostRunner.Production();

    private static RequestSpec Chat(string user, int tokens) =>
        RequestSpec.Post("/v1/chat/completions", ["{\"messages\":[]}"], ("x-user", user)) with
        {
            Upstream = new UpstreamSpec(
                Headers: [("content-type", "application/json")],
                Body: ["{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],", $"\"usage\":{{\"prompt_tokens\":3,\"total_tokens\":{tokens}}}}}"]),
        };

    [Fact]
    public void Tokens_reported_by_the_upstream_are_charged_to_the_callers_bucket()
    {
        // alice: 40 + 50 tokens leave 10, so a request reporting 30 still passes (admitted on its pre-charge of 1)
        // and drives the bucket dry; her next request is refused. bob's bucket is his own.
        RequestSpec[] requests = [Chat("alice", 40), Chat("alice", 50), Chat("alice", 30), Chat("alice", 1), Chat("bob", 60), Chat("bob", 1)];

        var result = _host.Run(new Scenario([new FilterSpec("rate_limit", Config)], requests, Sequential: true));

        Assert.True(result.ProgramInit.Loaded, result.Describe());
        Assert.Empty(result.ConfigErrors);
        var statuses = result.Results.Select(r => r.LocalReply?.Status ?? r.DownstreamResponse?.Status).ToList();
        Assert.Equal([200, 200, 200, 429, 200, 200], statuses);
        // The body reached the client whole (the frames were passed on, not held or changed).
        Assert.EndsWith("\"total_tokens\":40}}", result.Results[0].DownstreamResponse!.Body, StringComparison.Ordinal);
        // Remaining as reported on each response is what was left before its own cost was known.
        Assert.Equal(["99", "59", "9"], result.Results.Take(3).Select(r => r.DownstreamResponse!.Headers.Get("x-ratelimit-remaining")));
        Assert.Equal("0", result.Results[3].LocalReply!.Headers.Get("x-ratelimit-remaining"));
        Assert.Null(result.Metric("rate_limit_response_cost_invalid", ("policy", "default/llm"), ("rule", "tokens")));
    }

    [Fact]
    public void A_response_that_is_not_json_is_counted_and_charges_nothing_extra()
    {
        var broken = Chat("carol", 0) with { Upstream = new UpstreamSpec(Status: 502, Body: ["<html>bad gateway</html>"]) };
        RequestSpec[] requests = [broken, Chat("carol", 98), Chat("carol", 1)];

        var result = _host.Run(new Scenario([new FilterSpec("rate_limit", Config)], requests, Sequential: true));

        Assert.True(result.ProgramInit.Loaded, result.Describe());
        // 1 (the 502's pre-charge) + 98 = 99 of 100: the third request still passes.
        var statuses = result.Results.Select(r => r.LocalReply?.Status ?? r.DownstreamResponse?.Status).ToList();
        Assert.Equal([502, 200, 200], statuses);
        Assert.Equal(1, result.Metric("rate_limit_response_cost_invalid", ("policy", "default/llm"), ("rule", "tokens")));
    }
}
