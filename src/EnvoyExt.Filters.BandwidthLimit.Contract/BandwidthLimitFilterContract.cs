namespace EnvoyExt.Filters.BandwidthLimit.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class BandwidthLimitFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "bandwidth_limit";

    /// <summary>The longest <c>name</c> (metric label) accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The largest <c>limitKiBps</c> (10 GiB/s).</summary>
    public const int MaxLimitKiBps = 10 * 1024 * 1024;

    /// <summary>The shortest <c>fillIntervalMs</c>.</summary>
    public const int MinFillIntervalMs = 20;

    /// <summary>The longest <c>fillIntervalMs</c>.</summary>
    public const int MaxFillIntervalMs = 1000;

    /// <summary><c>fillIntervalMs</c> when absent.</summary>
    public const int DefaultFillIntervalMs = 50;

    /// <summary><c>direction</c>: only request bodies.</summary>
    public const string Request = "request";

    /// <summary><c>direction</c>: only response bodies.</summary>
    public const string Response = "response";

    /// <summary><c>direction</c>: both bodies, each at the full rate (the default).</summary>
    public const string Both = "both";

    /// <summary>The longest <c>responseTrailers.prefix</c>.</summary>
    public const int MaxTrailerPrefixLength = 64;

    /// <summary>The delay trailers' names, after the optional prefix and a dash.</summary>
    public const string RequestDelayTrailer = "bandwidth-request-delay-ms",
        ResponseDelayTrailer = "bandwidth-response-delay-ms",
        RequestFilterDelayTrailer = "bandwidth-request-filter-delay-ms",
        ResponseFilterDelayTrailer = "bandwidth-response-filter-delay-ms";
}
