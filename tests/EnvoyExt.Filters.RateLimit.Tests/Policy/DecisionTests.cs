using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.Tests.Support;
using static EnvoyExt.Filters.RateLimit.Tests.Support.Policies;

namespace EnvoyExt.Filters.RateLimit.Tests.Policy;

public class DecisionTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void RulesAreOrderedStrictestFirstByRequestsPerSecond()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"per-second","limit":{"requests":10,"unit":"Second"}},
              {"name":"per-day","limit":{"requests":1000,"unit":"Day"}},
              {"name":"per-minute","limit":{"requests":60,"unit":"Minute"}},
              {"name":"per-minute-too","limit":{"requests":60,"unit":"Minute"}}
            ]}
            """, _clock);
        Assert.Equal(["per-day", "per-minute", "per-minute-too", "per-second"], policy.Rules.Select(r => r.Name));
        Assert.Equal(1, policy.Rules[0].ConfigIndex);
    }

    [Fact]
    public void TheStrictestRuleLimitsAndLaterRulesAreNotCharged()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"loose","limit":{"requests":100,"unit":"Second"}},
              {"name":"strict","limit":{"requests":2,"unit":"Minute"}}
            ]}
            """, _clock);
        var request = new FakeRequest();
        Assert.False(Decide(policy, request).Limited);
        Assert.False(Decide(policy, request).Limited);
        var third = Decide(policy, request, out var results);
        Assert.True(third.Limited);
        Assert.Equal(2u, third.Limit);
        Assert.Equal(RuleOutcome.Limited, results[0].Outcome);
        Assert.Equal(RuleOutcome.NotCounted, results[1].Outcome);
        // "loose" was charged only by the two allowed requests.
        Assert.Equal(98u, policy.Rules[1].SharedBucket.Peek(_clock.NowTicks));
    }

    [Fact]
    public void EarlierRulesStayChargedWhenALaterRuleLimits()
    {
        // Strictness order is minute(3/60 s) then second(1/s); the second rule runs out first within one second.
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"second","limit":{"requests":1,"unit":"Second"}},
              {"name":"minute","limit":{"requests":3,"unit":"Minute"}}
            ]}
            """, _clock);
        var request = new FakeRequest();
        Assert.False(Decide(policy, request).Limited);
        var limited = Decide(policy, request, out var results);
        Assert.True(limited.Limited);
        Assert.Equal(RuleOutcome.Allowed, results[0].Outcome); // minute was charged
        Assert.Equal(RuleOutcome.Limited, results[1].Outcome);
        Assert.Equal(1u, policy.Rules[0].SharedBucket.Peek(_clock.NowTicks));
    }

    [Fact]
    public void AShadowRuleCountsButNeverLimitsAndEvaluationContinuesPastIt()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"shadow","limit":{"requests":1,"unit":"Hour"},"shadowMode":true},
              {"name":"real","limit":{"requests":3,"unit":"Minute"}}
            ]}
            """, _clock);
        Assert.Equal("shadow", policy.Rules[0].Name);
        var request = new FakeRequest();
        var first = Decide(policy, request, out var r1);
        Assert.Equal(RuleOutcome.Allowed, r1[0].Outcome);
        var second = Decide(policy, request, out var r2);
        Assert.False(second.Limited);
        Assert.Equal(RuleOutcome.ShadowLimited, r2[0].Outcome);
        Assert.Equal(RuleOutcome.Allowed, r2[1].Outcome);
        Assert.False(Decide(policy, request).Limited);
        var fourth = Decide(policy, request, out var r4);
        Assert.True(fourth.Limited);
        Assert.Equal(RuleOutcome.ShadowLimited, r4[0].Outcome);
        Assert.Equal(RuleOutcome.Limited, r4[1].Outcome);
        // Headers come from the enforced rule only.
        Assert.Equal(3u, first.Limit);
        Assert.Equal(2u, first.Remaining);
    }

    [Fact]
    public void OnlyShadowRulesMatchedMeansNoQuotaHeaders()
    {
        var policy = Policies.Compile("""{"rules":[{"limit":{"requests":1,"unit":"Hour"},"shadowMode":true}]}""", _clock);
        var decision = Decide(policy, new FakeRequest());
        Assert.False(decision.HasQuota);
        Assert.False(Decide(policy, new FakeRequest()).Limited);
    }

    [Fact]
    public void QuotaComesFromTheMatchedRuleWithFewestTokensLeft()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"hourly","limit":{"requests":1000,"unit":"Hour"}},
              {"name":"per-user","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":50,"unit":"Minute"}},
              {"name":"posts","clientSelectors":[{"methods":[{"value":"POST"}]}],"limit":{"requests":5,"unit":"Second"}}
            ]}
            """, _clock);
        var get = Decide(policy, new FakeRequest().WithHeader("x-user", "u"));
        Assert.Equal(50u, get.Limit);
        Assert.Equal(49u, get.Remaining);
        Assert.Equal(60, get.ResetSeconds);
        var post = Decide(policy, new FakeRequest().WithMethod("POST"));
        Assert.Equal(5u, post.Limit);
        Assert.Equal(4u, post.Remaining);
        Assert.Equal(1, post.ResetSeconds);
    }

    [Fact]
    public void ResetSecondsCountDownAndRoundUp()
    {
        var policy = Policies.Compile("""{"rules":[{"limit":{"requests":1,"unit":"Minute"}}]}""", _clock);
        Assert.Equal(60, Decide(policy, new FakeRequest()).ResetSeconds);
        _clock.Advance(TimeSpan.FromSeconds(20.2));
        var limited = Decide(policy, new FakeRequest());
        Assert.True(limited.Limited);
        Assert.Equal(0u, limited.Remaining);
        Assert.Equal(40, limited.ResetSeconds); // 39.8 s rounds up
    }

    [Fact]
    public void TheWindowRefillsWithTheClock()
    {
        var policy = Policies.Compile("""{"rules":[{"limit":{"requests":2,"unit":"Second"}}]}""", _clock);
        var request = new FakeRequest();
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(_ => Decide(policy, request).Limited));
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(Decide(policy, request).Limited);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(_ => Decide(policy, request).Limited));
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(_ => Decide(policy, request).Limited));
    }

    [Fact]
    public void CostChargesSeveralTokensAndZeroOnlyChecks()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"heavy","clientSelectors":[{"methods":[{"value":"POST"}]}],"limit":{"requests":10,"unit":"Minute"},"cost":4},
              {"name":"check","clientSelectors":[{"methods":[{"value":"HEAD"}]}],"limit":{"requests":1,"unit":"Minute"},"cost":0}
            ]}
            """, _clock);
        var post = new FakeRequest().WithMethod("POST");
        Assert.Equal(6u, Decide(policy, post).Remaining);
        Assert.Equal(2u, Decide(policy, post).Remaining);
        Assert.True(Decide(policy, post).Limited);
        var head = new FakeRequest().WithMethod("HEAD");
        for (int i = 0; i < 5; i++)
        {
            Assert.False(Decide(policy, head).Limited);
        }
    }

    [Fact]
    public void NoRulesOrNoMatchMeansNoDecision()
    {
        var empty = Policies.Compile("""{"rules":[]}""", _clock);
        Assert.Equal(RateLimitDecision.NoMatch, Decide(empty, new FakeRequest()));
        var posts = OneRule("""{"methods":[{"value":"POST"}]}""", _clock);
        var get = Decide(posts, new FakeRequest(), out var results);
        Assert.False(get.Limited);
        Assert.False(get.HasQuota);
        Assert.Equal(RuleOutcome.NotCounted, results[0].Outcome);
    }

    [Fact]
    public void DistinctEvictionsAreReportedPerRequestAndBounded()
    {
        var policy = Policies.Compile("""
            {"maxDistinctBuckets":3,"rules":[{"clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":1,"unit":"Hour"}}]}
            """, _clock);
        int evictions = 0;
        for (int i = 0; i < 10; i++)
        {
            Decide(policy, new FakeRequest().WithHeader("x-user", $"user-{i}"), out var results);
            evictions += results[0].EvictedDistinctBucket ? 1 : 0;
        }
        Assert.Equal(7, evictions);
        Assert.Equal(3, policy.Rules[0].DistinctBuckets!.Count);
        Assert.Equal(7, policy.Rules[0].DistinctBuckets!.Evictions);
    }

    [Fact]
    public void LimitedResponseSettingsComeFromTheConfig()
    {
        var policy = Policies.Compile("""
            {"name":"ns/p","rules":[],"response":{"statusCode":503,"body":"slow down","headers":[{"name":"X-Why","value":"quota"}],"rateLimitHeaders":false}}
            """, _clock);
        Assert.Equal("ns/p", policy.Name);
        Assert.Equal(503u, policy.Response.StatusCode);
        Assert.Equal("slow down"u8.ToArray(), policy.Response.Body);
        Assert.Equal("x-why"u8.ToArray(), policy.Response.Headers[0].Name);
        Assert.False(policy.Response.RateLimitHeaders);
        Assert.True(policy.Response.RetryAfter);
        var defaults = Policies.Compile("{}", _clock);
        Assert.Equal(429u, defaults.Response.StatusCode);
        Assert.Equal("default", defaults.Name);
        Assert.True(defaults.Response.RateLimitHeaders);
        Assert.Empty(defaults.Response.Body);
    }

    [Fact]
    public void ConcurrentDecisionsAllowExactlyTheLimit()
    {
        var policy = Policies.Compile("""
            {"rules":[{"clientSelectors":[{"path":{"type":"PathPrefix","value":"/api"}}],"limit":{"requests":500,"unit":"Minute"}}]}
            """, _clock);
        int allowed = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var request = new FakeRequest().WithPath("/api/x");
            var results = new RuleResult[1];
            int mine = 0;
            for (int i = 0; i < 1_000; i++)
            {
                mine += policy.Decide(in request, results).Limited ? 0 : 1;
            }
            Interlocked.Add(ref allowed, mine);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(500, allowed);
    }

    [Fact]
    public void SteadyStateDecisionsAllocateNothing()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"per-user","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}],"path":{"type":"PathPrefix","value":"/api"}}],"limit":{"requests":1000000,"unit":"Minute"}},
              {"name":"mobile","clientSelectors":[{"headers":[{"name":"x-client","type":"RegularExpression","value":"mobile-.*"}]}],"limit":{"requests":1000000,"unit":"Second"}},
              {"name":"office","clientSelectors":[{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8"},"queryParams":[{"name":"k","type":"Exact","value":"a b"}]}],"limit":{"requests":1000000,"unit":"Hour"}},
              {"name":"all","limit":{"requests":1000000,"unit":"Day"}}
            ]}
            """, _clock);
        var request = new FakeRequest().WithHeader("x-user", "alice").WithHeader("x-client", "mobile-ios")
            .WithPath("/api/items?k=a%20b").From("[::ffff:10.1.2.3]:5000");
        var results = new RuleResult[policy.Rules.Length];
        policy.Decide(in request, results); // creates the Distinct buckets (allowed to allocate)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            policy.Decide(in request, results);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(results, r => Assert.Equal(RuleOutcome.Allowed, r.Outcome));
    }
}
