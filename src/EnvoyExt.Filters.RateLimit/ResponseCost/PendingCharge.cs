using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Global;
using EnvoyExt.Filters.RateLimit.Policy;

namespace EnvoyExt.Filters.RateLimit.ResponseCost;

/// <summary>A rule that admitted the request and waits for its response's cost: the bucket it was charged on, and whether it is settled.</summary>
internal struct PendingCharge
{
    public CompiledRule Rule;
    public ChargedBucket Bucket;
    public bool Settled;

    /// <summary>Charges what the response says beyond the rule's pre-charged <c>cost</c> (nothing when it says less).</summary>
    public readonly void Charge(uint cost, RateLimitClock clock, GlobalBackend? backend)
    {
        uint extra = cost > Rule.Cost ? cost - Rule.Cost : 0;
        if (extra == 0)
        {
            return;
        }
        if (Bucket.Global is { } global)
        {
            var rule = Rule.Global!;
            global.ChargeAfter(extra, rule.WindowOf(rule.NowUnixMs()), backend);
        }
        else if (Bucket.Local is { } local)
        {
            local.ChargeAfter(extra, clock.NowTicks);
        }
        else if (Bucket.Distinct.Entry is not null)
        {
            DistinctBucketTable.ChargeAfter(Bucket.Distinct, extra, clock.NowTicks);
        }
    }
}
