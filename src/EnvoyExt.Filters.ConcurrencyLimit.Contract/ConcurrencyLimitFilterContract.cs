namespace EnvoyExt.Filters.ConcurrencyLimit.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class ConcurrencyLimitFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "concurrency_limit";

    /// <summary>The longest <c>name</c> (metric label) accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The largest <c>maxConcurrentRequests</c>.</summary>
    public const int MaxConcurrentRequestsLimit = 1_000_000;

    /// <summary>The largest <c>queue.maxSize</c>.</summary>
    public const int MaxQueueSizeLimit = 100_000;

    /// <summary>The longest <c>queue.maxWaitMs</c> (60 s).</summary>
    public const int MaxWaitMsLimit = 60_000;
}
