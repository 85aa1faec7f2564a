using EnvoyExt.Filters.RateLimit.Global;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// Where a decision stands between two calls of <see cref="CompiledPolicy.Decide{TRequest}(in TRequest, Span{RuleResult}, ref DecisionProgress)"/>:
/// the next rule to evaluate, the quota to report so far, and the global bucket the request waits on.
/// </summary>
internal struct DecisionProgress
{
    public int NextRule;
    public CompiledRule? QuotaRule;
    public uint QuotaRemaining;
    public long QuotaTicks;

    /// <summary>Set when the decision stopped at rule <see cref="NextRule"/> for a lease of this bucket.</summary>
    public GlobalBucket? Pending;

    public bool PendingEvicted;

    /// <summary>Records that rule <see cref="NextRule"/> was charged (after its lease) and moves past it.</summary>
    public void Charged(CompiledRule rule, uint remaining, long ticksUntilReset)
    {
        if (!rule.ShadowMode && (QuotaRule is null || remaining < QuotaRemaining))
        {
            QuotaRule = rule;
            QuotaRemaining = remaining;
            QuotaTicks = ticksUntilReset;
        }
        NextRule++;
        Pending = null;
    }

    /// <summary>Moves past rule <see cref="NextRule"/> without changing the quota (shadow rule out of tokens).</summary>
    public void Skip()
    {
        NextRule++;
        Pending = null;
    }
}
