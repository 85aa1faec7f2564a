using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit.ResponseCost;

/// <summary>
/// A rule that admitted the request and waits for its response's cost: the bucket it was charged on (exactly one
/// of a local bucket, a Distinct entry as looked up, or a global bucket) and whether it is settled.
/// </summary>
internal struct PendingCharge
{
    public CompiledRule Rule;
    public TokenBucket? Local;
    public DistinctBucketTable.Found Distinct;
    public GlobalBucket? Global;
    public bool Settled;

    /// <summary>Charges what the response says beyond the rule's pre-charged <c>cost</c> (nothing when it says less).</summary>
    public readonly void Charge(uint cost, RateLimitClock clock, GlobalBackend? backend)
    {
        uint extra = cost > Rule.Cost ? cost - Rule.Cost : 0;
        if (extra == 0)
        {
            return;
        }
        if (Global is not null)
        {
            var rule = Rule.Global!;
            Global.ChargeAfter(extra, rule.WindowOf(rule.NowUnixMs()), backend);
        }
        else if (Local is not null)
        {
            Local.ChargeAfter(extra, clock.NowTicks);
        }
        else if (Distinct.Entry is not null)
        {
            DistinctBucketTable.ChargeAfter(Distinct, extra, clock.NowTicks);
        }
    }
}
