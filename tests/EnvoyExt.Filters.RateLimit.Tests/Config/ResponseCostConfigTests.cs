using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Tests.Config;

/// <summary>Rule fields <c>costFrom</c> and <c>shared</c>: accepted forms and errors naming the field.</summary>
public sealed class ResponseCostConfigTests
{
    private static string Rule(string extra, string limit = """{"requests":100,"unit":"Minute"}""") =>
        $$"""{"limit":{{limit}}{{extra}}}""";

    private static string Document(params string[] rules) => $$"""{"rules":[{{string.Join(",", rules)}}]}""";

    [Fact]
    public void Both_cost_sources_and_a_shared_name_parse_and_round_trip()
    {
        var json = Document(
            Rule(""","costFrom":{"bodyField":"usage.total_tokens","maxBodyBytes":4096},"shared":"org-quota" """),
            Rule(""","name":"h","costFrom":{"header":"X-Tokens-Used"},"cost":0 """));

        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Route, out var config, out var error), error);
        Assert.Equal("usage.total_tokens", config!.Rules![0].CostFrom!.BodyField);
        Assert.Equal(4096, config.Rules[0].CostFrom!.MaxBodyBytes);
        Assert.Equal("org-quota", config.Rules[0].Shared);
        Assert.Equal("X-Tokens-Used", config.Rules[1].CostFrom!.Header);
        Assert.Equal(
            """{"rules":[{"limit":{"requests":100,"unit":"Minute"},"costFrom":{"bodyField":"usage.total_tokens","maxBodyBytes":4096},"shared":"org-quota"},{"name":"h","limit":{"requests":100,"unit":"Minute"},"cost":0,"costFrom":{"header":"X-Tokens-Used"}}]}""",
            RateLimitConfigJson.Serialize(config));
    }

    [Theory]
    [InlineData(""","costFrom":{}""", "rules[0].costFrom: exactly one of header or bodyField")]
    [InlineData(""","costFrom":{"header":"x","bodyField":"a"}""", "rules[0].costFrom: exactly one of header or bodyField")]
    [InlineData(""","costFrom":{"header":"bad name"}""", "rules[0].costFrom.header: not a valid header name (\"bad name\")")]
    [InlineData(""","costFrom":{"header":":status"}""", "rules[0].costFrom.header: must not be a pseudo-header (\":status\")")]
    [InlineData(""","costFrom":{"header":"x","maxBodyBytes":10}""", "rules[0].costFrom.maxBodyBytes: only with bodyField")]
    [InlineData(""","costFrom":{"bodyField":""}""", "rules[0].costFrom.bodyField: must be 1 to 128 characters")]
    [InlineData(""","costFrom":{"bodyField":"usage..total"}""", "rules[0].costFrom.bodyField: empty segment in \"usage..total\" (a dotted path of member names, such as usage.total_tokens)")]
    [InlineData(""","costFrom":{"bodyField":"a.b.c.d.e.f.g.h.i"}""", "rules[0].costFrom.bodyField: at most 8 dotted segments (got 9)")]
    [InlineData(""","costFrom":{"bodyField":"a","maxBodyBytes":0}""", "rules[0].costFrom.maxBodyBytes: must be between 1 and 1048576 (got 0)")]
    [InlineData(""","costFrom":{"bodyField":"a","maxBodyBytes":2000000}""", "rules[0].costFrom.maxBodyBytes: must be between 1 and 1048576 (got 2000000)")]
    [InlineData(""","costFrom":{"field":"a"}""", "rules[0].costFrom.field: unknown field")]
    [InlineData(""","shared":"" """, "rules[0].shared: must not be empty")]
    public void Bad_fields_are_refused_naming_the_field(string extra, string expected)
    {
        Assert.False(RateLimitConfigJson.TryParse(Document(Rule(extra)), RateLimitConfigLevel.Listener, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void At_most_four_rules_of_a_document_take_their_cost_from_the_response()
    {
        var rules = Enumerable.Range(0, 5).Select(i => Rule($$""","name":"r{{i}}","costFrom":{"header":"x-cost"}""")).ToArray();

        Assert.False(RateLimitConfigJson.TryParse(Document(rules), RateLimitConfigLevel.Listener, out _, out var error));
        Assert.Equal("rules[4].costFrom: at most 4 rules of one document take their cost from the response", error);
    }

    [Theory]
    [InlineData("""{"requests":50,"unit":"Minute"}""", "", "limit")]
    [InlineData("""{"requests":100,"unit":"Hour"}""", "", "limit")]
    [InlineData("""{"requests":100,"unit":"Minute"}""", ""","type":"Global" """, "type")]
    public void Rules_of_one_document_that_share_a_bucket_must_agree_on_its_shape(string limit, string type, string what)
    {
        string first = Rule(""","name":"a","shared":"org" """);
        string second = Rule(""","name":"b","shared":"org" """ + type, limit);
        var json = """{"global":{"redis":{"addresses":["r:6379"]}},"rules":[""" + first + "," + second + "]}";

        Assert.False(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out _, out var error));
        Assert.Equal($"rules[1].shared: \"org\" is also used by rules[0] with a different {what}", error);
    }

    [Fact]
    public void Rules_that_agree_may_share_a_bucket_with_their_own_selectors_and_costs()
    {
        var json = Document(
            Rule(""","name":"a","shared":"org","cost":2 """),
            Rule(""","name":"b","shared":"org","clientSelectors":[{"methods":[{"value":"POST"}]}] """));

        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out _, out var error), error);
    }
}
