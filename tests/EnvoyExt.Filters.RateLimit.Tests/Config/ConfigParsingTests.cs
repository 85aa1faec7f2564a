using EnvoyExt.Filters.RateLimit.Config;
using Limit = EnvoyExt.Filters.RateLimit.Config.RateLimit;

namespace EnvoyExt.Filters.RateLimit.Tests.Config;

public class ConfigParsingTests
{
    private const string DocExample = """
        {
          "name": "default/api",
          "rules": [
            { "name": "per-user", "clientSelectors": [ { "headers": [ { "name": "x-user", "type": "Distinct" } ] } ],
              "limit": { "requests": 5, "unit": "Minute" } },
            { "name": "everyone", "limit": { "requests": 100, "unit": "Second" } }
          ],
          "response": { "rateLimitHeaders": true, "retryAfter": true }
        }
        """;

    private static RateLimitConfig ParseOk(string json, RateLimitConfigLevel level = RateLimitConfigLevel.Listener)
    {
        bool ok = RateLimitConfigJson.TryParse(json, level, out var config, out string? error);
        Assert.True(ok, error);
        Assert.Null(error);
        return config!;
    }

    private static string ParseError(string json, RateLimitConfigLevel level = RateLimitConfigLevel.Listener)
    {
        bool ok = RateLimitConfigJson.TryParse(json, level, out var config, out string? error);
        Assert.False(ok);
        Assert.Null(config);
        return error!;
    }

    [Fact]
    public void ParsesTheDocumentedExample()
    {
        var config = ParseOk(DocExample);
        Assert.Equal("default/api", config.Name);
        Assert.Equal(2, config.Rules!.Count);
        Assert.Equal("per-user", config.Rules[0].Name);
        Assert.Equal(ValueMatchType.Distinct, config.Rules[0].ClientSelectors![0].Headers![0].Type);
        Assert.Equal(5, config.Rules[0].Limit!.Requests);
        Assert.Equal(RateLimitUnit.Minute, config.Rules[0].Limit!.Unit);
        Assert.Equal(RateLimitUnit.Second, config.Rules[1].Limit!.Unit);
        Assert.True(config.Response!.RetryAfter);
    }

    [Fact]
    public void ParsesTheFullSchemaFromTheContract()
    {
        var config = ParseOk("""
            {
              "name": "default/api-limits",
              "rules": [
                {
                  "name": "per-user",
                  "clientSelectors": [
                    {
                      "headers": [
                        { "name": "x-user-id", "type": "Distinct" },
                        { "name": "x-org", "type": "Exact", "value": "acme", "invert": false },
                        { "name": "x-client", "type": "RegularExpression", "value": "^mobile-.*$" }
                      ],
                      "methods": [ { "value": "POST", "invert": false } ],
                      "path": { "type": "PathPrefix", "value": "/api", "invert": false },
                      "sourceCIDR": { "type": "Distinct", "value": "10.0.0.0/8", "invert": false },
                      "queryParams": [ { "name": "api_key", "type": "Distinct" } ]
                    }
                  ],
                  "limit": { "requests": 100, "unit": "Minute" },
                  "cost": 1,
                  "shadowMode": false
                }
              ],
              "maxDistinctBuckets": 10000,
              "response": {
                "statusCode": 429,
                "body": "rate limited\n",
                "headers": [ { "name": "x-why", "value": "quota" } ],
                "rateLimitHeaders": true,
                "retryAfter": true
              }
            }
            """);
        var selector = config.Rules![0].ClientSelectors![0];
        Assert.Equal(3, selector.Headers!.Count);
        Assert.Equal("POST", selector.Methods![0].Value);
        Assert.Equal(PathMatchType.PathPrefix, selector.Path!.Type);
        Assert.Equal(SourceCidrMatchType.Distinct, selector.SourceCidr!.Type);
        Assert.Equal("api_key", selector.QueryParams![0].Name);
        Assert.Equal(10000, config.MaxDistinctBuckets);
        Assert.Equal("rate limited\n", config.Response!.Body);
        Assert.Equal("x-why", config.Response.Headers![0].Name);
    }

    [Fact]
    public void SerializeRoundTripsThroughParse()
    {
        var original = ParseOk(DocExample);
        string json = RateLimitConfigJson.Serialize(original);
        var again = ParseOk(json);
        Assert.Equal(json, RateLimitConfigJson.Serialize(again));
        Assert.Contains("\"unit\":\"Minute\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"Distinct\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("disabled", json, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializesConfigBuiltInCode()
    {
        var config = new RateLimitConfig
        {
            Name = "ns/policy",
            Rules =
            [
                new RateLimitRule
                {
                    Name = "by-ip",
                    ClientSelectors = [new ClientSelector { SourceCidr = new SourceCidrMatch { Type = SourceCidrMatchType.Distinct, Value = "0.0.0.0/0" } }],
                    Limit = new Limit(10, RateLimitUnit.Hour),
                },
            ],
        };
        Assert.Null(RateLimitConfigJson.Validate(config, RateLimitConfigLevel.Listener));
        string json = RateLimitConfigJson.Serialize(config);
        Assert.Equal(
            """{"name":"ns/policy","rules":[{"name":"by-ip","clientSelectors":[{"sourceCIDR":{"type":"Distinct","value":"0.0.0.0/0"}}],"limit":{"requests":10,"unit":"Hour"}}]}""",
            json);
    }

    [Fact]
    public void EmptyDocumentAndEmptyRuleListAreValid()
    {
        Assert.Empty(ParseOk("{}").Rules ?? []);
        Assert.Empty(ParseOk("""{"rules":[]}""").Rules!);
    }

    [Fact]
    public void DisabledIsAcceptedOnlyPerRouteAndAlone()
    {
        Assert.True(ParseOk("""{"disabled":true}""", RateLimitConfigLevel.Route).Disabled);
        Assert.Equal("disabled: only allowed in a per-route config", ParseError("""{"disabled":true}"""));
        Assert.Equal("disabled: must be the only field when true",
            ParseError("""{"disabled":true,"rules":[]}""", RateLimitConfigLevel.Route));
        Assert.False(ParseOk("""{"disabled":false,"rules":[]}""", RateLimitConfigLevel.Route).Disabled);
        Assert.Equal("""{"disabled":true}""", RateLimitConfigJson.Serialize(RateLimitConfig.DisabledForRoute()));
    }

    [Theory]
    [InlineData("""{"rules":[{"limit":{"requests":-5,"unit":"Second"}}]}""", "rules[0].limit.requests: must be >= 1 (got -5)")]
    [InlineData("""{"rules":[{"limit":{"requests":0,"unit":"Second"}}]}""", "rules[0].limit.requests: must be >= 1 (got 0)")]
    [InlineData("""{"rules":[{"limit":{"requests":99999999999,"unit":"Second"}}]}""", "rules[0].limit.requests: must be <= 2147483647 (got 99999999999)")]
    [InlineData("""{"response":{"colour":"red"}}""", "response.colour: unknown field")]
    [InlineData("""{"colour":"red"}""", "colour: unknown field")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"Second"},"extra":1}]}""", "rules[0].extra: unknown field")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"Fortnight"}}]}""", "rules[0].limit.unit: must be one of Second, Minute, Hour, Day, Week, Month, Year (got \"Fortnight\")")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"second"}}]}""", "rules[0].limit.unit: must be one of Second, Minute, Hour, Day, Week, Month, Year (got \"second\")")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":3}}]}""", "rules[0].limit.unit: must be a string, one of Second, Minute, Hour, Day, Week, Month, Year (got a number)")]
    [InlineData("""{"rules":[{"limit":{"requests":"5","unit":"Second"}}]}""", "rules[0].limit.requests: wrong JSON type, expected an integer")]
    [InlineData("""{"rules":[{"limit":{"requests":1.5,"unit":"Second"}}]}""", "rules[0].limit.requests: wrong JSON type, expected an integer")]
    [InlineData("""{"rules":{}}""", "rules: wrong JSON type, expected an array")]
    [InlineData("""{"name":5}""", "name: wrong JSON type, expected a string")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"Second"},"shadowMode":"yes"}]}""", "rules[0].shadowMode: wrong JSON type, expected true or false")]
    [InlineData("""{"response":[]}""", "response: wrong JSON type, expected an object")]
    [InlineData("""[]""", "config: wrong JSON type, expected an object")]
    [InlineData("""{"rules":[{}]}""", "rules[0].limit: required")]
    [InlineData("""{"rules":[{"limit":{"requests":5,"unit":"Second"},"cost":-1}]}""", "rules[0].cost: must be >= 0 (got -1)")]
    [InlineData("""{"rules":[{"limit":{"requests":5,"unit":"Second"},"cost":6}]}""", "rules[0].cost: must be <= limit.requests (5) or no request could ever pass (got 6)")]
    [InlineData("""{"maxDistinctBuckets":0}""", "maxDistinctBuckets: must be between 1 and 1000000 (got 0)")]
    [InlineData("""{"response":{"statusCode":200}}""", "response.statusCode: must be between 400 and 599 (got 200)")]
    [InlineData("""{"response":{"headers":[{"name":"x a","value":"v"}]}}""", "response.headers[0].name: not a valid header name (\"x a\")")]
    [InlineData("""{"response":{"headers":[{"name":"x-a","value":"a\nb"}]}}""", "response.headers[0].value: must not contain CR, LF or NUL")]
    [InlineData("""{"response":{"headers":[{"name":"x-a"}]}}""", "response.headers[0].value: required")]
    [InlineData("""{"response":{"headers":[{"name":":status","value":"1"}]}}""", "response.headers[0].name: pseudo-headers cannot be added (\":status\")")]
    [InlineData("""{"name":""}""", "name: must not be empty")]
    [InlineData("""{"rules":[{"name":"a","limit":{"requests":1,"unit":"Second"}},{"name":"a","limit":{"requests":1,"unit":"Second"}}]}""", "rules[1].name: duplicate rule name \"a\"")]
    [InlineData("""{"rules":[{"limit":{"requests":1,"unit":"Second"}},{"name":"rule-0","limit":{"requests":1,"unit":"Second"}}]}""", "rules[1].name: duplicate rule name \"rule-0\"")]
    public void RejectsBadConfigNamingTheField(string json, string expected)
    {
        Assert.Equal(expected, ParseError(json));
    }

    [Theory]
    [InlineData("""{"headers":[{"name":"x","type":"RegularExpression","value":"a("}]}""", "rules[0].clientSelectors[0].headers[0].value: invalid regular expression")]
    [InlineData("""{"headers":[{"name":"x","type":"RegularExpression","value":"(a)\\1"}]}""", "rules[0].clientSelectors[0].headers[0].value: invalid regular expression")]
    [InlineData("""{"headers":[{"name":"x","type":"RegularExpression"}]}""", "rules[0].clientSelectors[0].headers[0].value: required")]
    [InlineData("""{"headers":[{"name":"x","type":"Exact"}]}""", "rules[0].clientSelectors[0].headers[0].value: required")]
    [InlineData("""{"headers":[{"name":"x","type":"Distinct","value":"v"}]}""", "rules[0].clientSelectors[0].headers[0].value: not allowed with type Distinct")]
    [InlineData("""{"headers":[{"name":"x","type":"Distinct","invert":true}]}""", "rules[0].clientSelectors[0].headers[0].invert: not allowed with type Distinct")]
    [InlineData("""{"headers":[{"name":"x","type":"Fuzzy","value":"v"}]}""", "rules[0].clientSelectors[0].headers[0].type: must be one of Exact, RegularExpression, Distinct (got \"Fuzzy\")")]
    [InlineData("""{"headers":[{"type":"Distinct"}]}""", "rules[0].clientSelectors[0].headers[0].name: required")]
    [InlineData("""{"headers":[{"name":"bad name","type":"Distinct"}]}""", "rules[0].clientSelectors[0].headers[0].name: not a valid header name")]
    [InlineData("""{"methods":[{"value":"FETCH"}]}""", "rules[0].clientSelectors[0].methods[0].value: must be one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH (got \"FETCH\")")]
    [InlineData("""{"methods":[{"invert":true}]}""", "rules[0].clientSelectors[0].methods[0].value: required")]
    [InlineData("""{"path":{"type":"PathPrefix","value":"api"}}""", "rules[0].clientSelectors[0].path.value: must start with '/' (got \"api\")")]
    [InlineData("""{"path":{"type":"Exact","value":"/a?b=1"}}""", "rules[0].clientSelectors[0].path.value: must not contain a query or fragment")]
    [InlineData("""{"path":{"type":"RegularExpression","value":"[z-a]"}}""", "rules[0].clientSelectors[0].path.value: invalid regular expression")]
    [InlineData("""{"path":{"type":"Glob","value":"/a"}}""", "rules[0].clientSelectors[0].path.type: must be one of Exact, PathPrefix, RegularExpression (got \"Glob\")")]
    [InlineData("""{"sourceCIDR":{"type":"Exact","value":"10.0.0.0"}}""", "rules[0].clientSelectors[0].sourceCIDR.value: must be a CIDR such as 10.0.0.0/8")]
    [InlineData("""{"sourceCIDR":{"type":"Exact","value":"10.0.0.0/33"}}""", "rules[0].clientSelectors[0].sourceCIDR.value: invalid prefix length in CIDR \"10.0.0.0/33\" (must be 0..32)")]
    [InlineData("""{"sourceCIDR":{"type":"Exact","value":"2001:db8::/129"}}""", "rules[0].clientSelectors[0].sourceCIDR.value: invalid prefix length in CIDR \"2001:db8::/129\" (must be 0..128)")]
    [InlineData("""{"sourceCIDR":{"type":"Exact","value":"300.0.0.0/8"}}""", "rules[0].clientSelectors[0].sourceCIDR.value: invalid IP address in CIDR \"300.0.0.0/8\"")]
    [InlineData("""{"sourceCIDR":{"type":"Exact"}}""", "rules[0].clientSelectors[0].sourceCIDR.value: required")]
    [InlineData("""{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8","invert":true}}""", "rules[0].clientSelectors[0].sourceCIDR.invert: not allowed with type Distinct")]
    [InlineData("""{"queryParams":[{"type":"Distinct"}]}""", "rules[0].clientSelectors[0].queryParams[0].name: required")]
    [InlineData("""{"queryParams":[{"name":"k","type":"RegularExpression","value":"(?<=a)b"}]}""", "rules[0].clientSelectors[0].queryParams[0].value: invalid regular expression")]
    [InlineData("""{"queryParams":[{"name":"k","value":"v","extra":true}]}""", "rules[0].clientSelectors[0].queryParams[0].extra: unknown field")]
    public void RejectsBadSelectorNamingTheField(string selectorJson, string expectedPrefix)
    {
        string json = """{"rules":[{"clientSelectors":[""" + selectorJson + """],"limit":{"requests":1,"unit":"Second"}}]}""";
        string error = ParseError(json);
        Assert.StartsWith(expectedPrefix, error, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsTooManyRulesAndSelectors()
    {
        string rule = """{"limit":{"requests":1,"unit":"Second"}}""";
        string tooManyRules = """{"rules":[""" +
            string.Join(",", Enumerable.Range(0, 65).Select(i => "{\"name\":\"r" + i + "\",\"limit\":{\"requests\":1,\"unit\":\"Second\"}}")) + "]}";
        Assert.Equal("rules: at most 64 rules (got 65)", ParseError(tooManyRules));
        string nineSelectors = """{"rules":[{"clientSelectors":[""" + string.Join(",", Enumerable.Repeat("{}", 9)) +
            """],"limit":{"requests":1,"unit":"Second"}}]}""";
        Assert.Equal("rules[0].clientSelectors: at most 8 selectors (got 9)", ParseError(nineSelectors));
        Assert.NotNull(ParseOk("""{"rules":[""" + rule + "]}"));
    }

    [Theory]
    [InlineData("""{"name":"a","name":"b"}""", "name: duplicate field")]
    [InlineData("""{"rules":[],}""", "config: invalid JSON")]
    [InlineData("""{"rules":[] /* c */}""", "config: invalid JSON")]
    [InlineData("""not json""", "config: invalid JSON")]
    [InlineData("""null""", "config: must be a JSON object (got null)")]
    [InlineData("""{"Rules":[]}""", "Rules: unknown field")]
    public void RejectsMalformedJson(string json, string expectedPrefix)
    {
        Assert.StartsWith(expectedPrefix, ParseError(json), StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsRegexAndCidrVariants()
    {
        var config = ParseOk("""
            {"rules":[{"clientSelectors":[
              {"headers":[{"name":":authority","type":"RegularExpression","value":"a|b"}]},
              {"sourceCIDR":{"type":"Exact","value":"2001:db8::/32"}},
              {"sourceCIDR":{"type":"Exact","value":"10.1.2.3/8","invert":true}},
              {"path":{"type":"Exact","value":"/"}}
            ],"limit":{"requests":1,"unit":"Day"},"cost":0}]}
            """);
        Assert.Equal(0, config.Rules![0].Cost);
    }
}
