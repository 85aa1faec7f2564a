namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>Names shared by the filter and the controller that configures it.</summary>
public static class RateLimitFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on (DynamicModuleFilter.filter_name).</summary>
    public const string FilterName = "rate_limit";

    /// <summary>The longest config <c>name</c> and rule <c>name</c> (metric labels) the filter accepts.</summary>
    public const int MaxLabelLength = 128;

    /// <summary>The longest <c>global.redis.timeoutMs</c> the filter accepts (the controller checks durations against it).</summary>
    public const int MaxRedisTimeoutMs = 10_000;

    /// <summary>Default of <c>costFrom.maxBodyBytes</c>: the body prefix kept to find the cost field.</summary>
    public const int DefaultMaxCostBodyBytes = 64 * 1024;

    /// <summary>The largest <c>costFrom.maxBodyBytes</c> the filter accepts.</summary>
    public const int MaxCostBodyBytes = 1024 * 1024;

    /// <summary>At most this many rules of one document take their cost from the response.</summary>
    public const int MaxResponseCostRules = 4;

    /// <summary>A <c>costFrom.bodyField</c> has at most this many dotted segments.</summary>
    public const int MaxBodyFieldSegments = 8;

    /// <summary>
    /// What two valid rules naming one <c>shared</c> bucket disagree on (<c>"type"</c> or <c>"limit"</c>: the bucket's
    /// shape), or null when they can share it. The validator applies it within a document, the controller across
    /// the documents of one listener.
    /// </summary>
    public static string? SharedBucketConflict(RateLimitRule first, RateLimitRule other)
    {
        if (first.Type != other.Type)
        {
            return "type";
        }
        return first.Limit!.Requests != other.Limit!.Requests || first.Limit.Unit != other.Limit.Unit ? "limit" : null;
    }
}
