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
}
