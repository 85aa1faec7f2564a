using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Tests.Config;

/// <summary>The <c>global</c> block, rule <c>type</c>, the long units and the header format: accepted forms and errors naming the field.</summary>
public sealed class GlobalConfigTests
{
    private const string Redis = """{"redis":{"addresses":["redis:6379"]}}""";

    private static string Rule(string extra = "") => $$"""{"limit":{"requests":5,"unit":"Minute"}{{extra}}}""";

    [Fact]
    public void A_global_rule_with_a_connection_parses_with_defaults()
    {
        var json = $$"""{"global":{{Redis}},"rules":[{{Rule(""","type":"Global" """)}}]}""";

        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out var config, out var error), error);
        Assert.Equal(RateLimitType.Global, config!.Rules![0].Type);
        Assert.Equal(["redis:6379"], config.Global!.Redis!.Addresses!);
        Assert.Null(config.Global.Batch);
    }

    [Theory]
    [InlineData("Week")]
    [InlineData("Month")]
    [InlineData("Year")]
    public void Long_units_parse(string unit)
    {
        var json = """{"rules":[{"limit":{"requests":5,"unit":"UNIT"}}]}""".Replace("UNIT", unit, StringComparison.Ordinal);
        Assert.True(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out _, out var error), error);
    }

    [Theory]
    [InlineData("""{"rules":[{"type":"Global","limit":{"requests":5,"unit":"Minute"}}]}""",
        "rules[0].type: Global needs the listener-level \"global\" block (the Redis connection)")]
    [InlineData("""{"rules":[{"type":"global","limit":{"requests":5,"unit":"Minute"}}]}""",
        "rules[0].type: must be one of Local, Global (got \"global\")")]
    [InlineData("""{"global":{}}""", "global.redis: required")]
    [InlineData("""{"global":{"redis":{"addresses":[]}}}""", "global.redis.addresses: between 1 and 16 host:port entries (got 0)")]
    [InlineData("""{"global":{"redis":{"addresses":["redis"]}}}""", "global.redis.addresses[0]: must be host:port with a port 1..65535 (got \"redis\")")]
    [InlineData("""{"global":{"redis":{"addresses":["redis:70000"]}}}""", "global.redis.addresses[0]: must be host:port with a port 1..65535 (got \"redis:70000\")")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"],"database":16}}}""", "global.redis.database: must be between 0 and 15 (got 16)")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"],"timeoutMs":0}}}""", "global.redis.timeoutMs: must be between 1 and 10000 (got 0)")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"],"password":"x"}}}""", "global.redis.password: unknown field")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"],"passwordSecret":"p","passwordSecretSource":"Sds"}}}""", "global.redis.passwordSecretSource: must be Static or Ads (got \"Sds\")")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"],"passwordSecretSource":"Ads"}}}""", "global.redis.passwordSecretSource: only with passwordSecret")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"]},"batch":0}}""", "global.batch: must be between 1 and 1000000 (got 0)")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"]},"failureStatusCode":200}}""", "global.failureStatusCode: must be between 400 and 599 (got 200)")]
    [InlineData("""{"global":{"redis":{"addresses":["a:1"]},"maxWaiting":0}}""", "global.maxWaiting: must be between 1 and 100000 (got 0)")]
    [InlineData("""{"response":{"rateLimitHeadersFormat":"ietf"}}""", "response.rateLimitHeadersFormat: must be one of Draft03, IETF, Both (got \"ietf\")")]
    public void Bad_global_settings_name_the_field(string json, string expected)
    {
        Assert.False(RateLimitConfigJson.TryParse(json, RateLimitConfigLevel.Listener, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_route_may_have_global_rules_but_not_the_connection()
    {
        var rules = $$"""{"rules":[{{Rule(""","type":"Global" """)}}]}""";
        Assert.True(RateLimitConfigJson.TryParse(rules, RateLimitConfigLevel.Route, out _, out var error), error);

        var withConnection = $$"""{"global":{{Redis}}}""";
        Assert.False(RateLimitConfigJson.TryParse(withConnection, RateLimitConfigLevel.Route, out _, out error));
        Assert.Equal("global: only allowed at listener level (per-route Global rules use the listener's connection)", error);
    }
}
