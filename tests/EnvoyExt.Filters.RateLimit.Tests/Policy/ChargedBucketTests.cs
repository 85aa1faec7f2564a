using EnvoyExt.Filters.RateLimit.Policy;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Policy;

/// <summary>
/// A sink that keeps charged buckets is told, for each response-cost rule that admitted the request, the very
/// bucket the decision charged; rules without a response cost, and rules that did not admit it, tell nothing.
/// </summary>
public class ChargedBucketTests
{
    private readonly FakeClock _clock = new();

    private readonly ref struct RecordingSink(List<(int Rule, ChargedBucket Bucket)> admitted, List<(int Rule, RuleOutcome Outcome)> outcomes) : IDecisionSink
    {
        public bool KeepsChargedBuckets => true;

        public void Record(int rule, RuleOutcome outcome, bool evictedDistinctBucket) => outcomes.Add((rule, outcome));

        public void Admitted(int rule, in ChargedBucket bucket)
        {
            // Told before the rule's outcome is recorded.
            Assert.DoesNotContain(outcomes, o => o.Rule == rule);
            admitted.Add((rule, bucket));
        }
    }

    private (List<(int Rule, ChargedBucket Bucket)> Admitted, RateLimitDecision Decision) Decide(CompiledPolicy policy, FakeRequest request)
    {
        var admitted = new List<(int Rule, ChargedBucket Bucket)>();
        var sink = new RecordingSink(admitted, []);
        DecisionProgress progress = default;
        var decision = policy.Decide(in request, ref sink, ref progress);
        return (admitted, decision);
    }

    [Fact]
    public void Each_response_cost_rule_reports_the_bucket_it_charged()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"plain","limit":{"requests":1000,"unit":"Minute"}},
              {"name":"whole","limit":{"requests":100,"unit":"Minute"},"costFrom":{"header":"x-cost"}},
              {"name":"per-user","clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],
               "limit":{"requests":10,"unit":"Minute"},"costFrom":{"header":"x-cost"}}
            ]}
            """, _clock);
        var (admitted, decision) = Decide(policy, new FakeRequest().WithHeader("x-user", "alice"));

        Assert.False(decision.Limited);
        var byName = admitted.ToDictionary(a => policy.Rules[a.Rule].Name, a => a.Bucket);
        Assert.Equal(["per-user", "whole"], byName.Keys.Order());
        Assert.Same(policy.Rules.Single(r => r.Name == "whole").SharedBucket, byName["whole"].Local);
        var perUser = policy.Rules.Single(r => r.Name == "per-user");
        var entry = byName["per-user"].Distinct;
        Assert.Null(byName["per-user"].Local);
        Assert.NotNull(entry.Entry);
        // The entry charged is alice's, as it was when charged: a lookup now finds it with the same version.
        var key = new byte[] { 0, 5, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e' };
        Assert.True(perUser.DistinctBuckets!.Contains(key));
        Assert.True(entry.Entry!.KeyEquals(key));
        Assert.Equal(entry.Entry.Version, entry.Version);
        Assert.Equal(9u, entry.Entry!.Bucket.TryCharge(0, _clock.NowTicks).Remaining);
    }

    [Fact]
    public void A_rule_that_does_not_admit_the_request_reports_no_bucket()
    {
        var policy = Policies.Compile("""
            {"rules":[
              {"name":"shadow","limit":{"requests":1,"unit":"Hour"},"shadowMode":true,"costFrom":{"header":"x-cost"}},
              {"name":"limits","limit":{"requests":1,"unit":"Minute"},"costFrom":{"header":"x-cost"}}
            ]}
            """, _clock);
        Assert.Equal(2, Decide(policy, new FakeRequest()).Admitted.Count);

        var (admitted, decision) = Decide(policy, new FakeRequest());

        Assert.True(decision.Limited);
        Assert.Empty(admitted);
    }
}
