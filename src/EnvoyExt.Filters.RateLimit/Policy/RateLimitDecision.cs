namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// The verdict for one request plus the numbers for the x-ratelimit-* / retry-after headers, taken from the
/// limiting rule, or else the matched enforced rule with the fewest tokens left.
/// </summary>
internal readonly record struct RateLimitDecision(
    bool Limited,
    bool HasQuota,
    uint Limit,
    uint Remaining,
    long ResetSeconds,
    CompiledRule? Rule = null)
{
    public static RateLimitDecision NoMatch => default;
}
