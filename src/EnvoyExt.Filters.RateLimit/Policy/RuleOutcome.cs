namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>What happened to one rule for one request; drives the per-rule counters.</summary>
internal enum RuleOutcome : byte
{
    /// <summary>No selector matched, or an earlier rule already limited the request.</summary>
    NotCounted,
    Allowed,
    Limited,
    ShadowLimited,
}

/// <summary>Per rule: the outcome and whether creating its Distinct bucket evicted another.</summary>
internal struct RuleResult
{
    public RuleOutcome Outcome;
    public bool EvictedDistinctBucket;
}
