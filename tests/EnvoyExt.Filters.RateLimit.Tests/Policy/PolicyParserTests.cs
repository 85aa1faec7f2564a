using System.Text;
using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;
using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Policy;

public class PolicyParserTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void PerRouteDisabledYieldsNoPolicyAndNoError()
    {
        var policy = RateLimitPolicyParser.TryParse("""{"disabled":true}"""u8, RateLimitConfigLevel.Route, _clock, out bool disabled, out string? error);
        Assert.Null(policy);
        Assert.True(disabled);
        Assert.Null(error);
    }

    [Fact]
    public void InvalidDocumentsYieldTheError()
    {
        var policy = RateLimitPolicyParser.TryParse(Encoding.UTF8.GetBytes("""{"rules":[{"limit":{"requests":-5,"unit":"Minute"}}]}"""),
            RateLimitConfigLevel.Route, _clock, out bool disabled, out string? error);
        Assert.Null(policy);
        Assert.False(disabled);
        Assert.Equal("rules[0].limit.requests: must be >= 1 (got -5)", error);
    }

    [Fact]
    public void EachParseHasItsOwnBuckets()
    {
        var json = """{"rules":[{"limit":{"requests":1,"unit":"Hour"}}]}"""u8;
        var a = RateLimitPolicyParser.TryParse(json, RateLimitConfigLevel.Listener, _clock, out _, out _)!;
        var b = RateLimitPolicyParser.TryParse(json, RateLimitConfigLevel.Route, _clock, out _, out _)!;
        Assert.False(Policies.Decide(a, new FakeRequest()).Limited);
        Assert.True(Policies.Decide(a, new FakeRequest()).Limited);
        Assert.False(Policies.Decide(b, new FakeRequest()).Limited);
    }

    [Fact]
    public void ValidateCatchesMistakesInConfigsBuiltInCode()
    {
        var config = new RateLimitConfig
        {
            Rules =
            [
                new RateLimitRule
                {
                    ClientSelectors = [new ClientSelector { Headers = [new HeaderMatch { Name = "x-user", Type = ValueMatchType.Distinct, Value = "alice" }] }],
                    Limit = new Filters.RateLimit.Config.RateLimit(10, RateLimitUnit.Minute),
                },
            ],
        };
        Assert.Equal("rules[0].clientSelectors[0].headers[0].value: not allowed with type Distinct (every value gets its own bucket)",
            RateLimitConfigJson.Validate(config, RateLimitConfigLevel.Listener));
        Assert.Equal("rules[0].limit: required",
            RateLimitConfigJson.Validate(new RateLimitConfig { Rules = [new RateLimitRule()] }, RateLimitConfigLevel.Listener));
    }

    [Fact]
    public void TheProductionClockIsMonotonicInTicks()
    {
        long first = MonotonicClock.Instance.NowTicks;
        Thread.Sleep(20);
        long second = MonotonicClock.Instance.NowTicks;
        Assert.True(second > first, $"{second} should be after {first}");
        Assert.Equal(0, first % TimeSpan.TicksPerMillisecond);
    }
}
