using EnvoyExt.Filters.RateLimit.Buckets;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>Parse + validate + compile in one step, as both config levels need it.</summary>
internal static class RateLimitPolicyParser
{
    /// <summary>
    /// Null with <paramref name="error"/> set when the document is invalid. A valid per-route
    /// <c>{"disabled": true}</c> yields <paramref name="disabled"/> = true and no policy.
    /// </summary>
    public static CompiledPolicy? TryParse(ReadOnlySpan<byte> json, RateLimitConfigLevel level, RateLimitClock clock,
        out bool disabled, out string? error) =>
        TryParse(json, level, clock, null, out disabled, out _, out error);

    /// <summary>
    /// As above; rules with <c>shared</c> take their buckets from <paramref name="shared"/> (when given), and
    /// <paramref name="config"/> is the parsed document (to bind a per-route document to a listener later).
    /// </summary>
    public static CompiledPolicy? TryParse(ReadOnlySpan<byte> json, RateLimitConfigLevel level, RateLimitClock clock,
        SharedBucketRegistry? shared, out bool disabled, out RateLimitConfig? config, out string? error)
    {
        disabled = false;
        if (!RateLimitConfigJson.TryParse(json, level, out config, out error))
        {
            return null;
        }
        if (config!.Disabled)
        {
            disabled = true;
            return null;
        }
        return PolicyCompiler.Compile(config, clock, shared);
    }
}
