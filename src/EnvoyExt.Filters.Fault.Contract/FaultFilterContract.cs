namespace EnvoyExt.Filters.Fault.Config;

/// <summary>Names and bounds shared by the filter and the controller that configures it.</summary>
public static class FaultFilterContract
{
    /// <summary>The <c>filter_name</c> the module dispatches on.</summary>
    public const string FilterName = "fault";

    /// <summary>The longest <c>name</c> (metric label) accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest delay, configured or asked for by header (60 s).</summary>
    public const int MaxDelayMs = 60_000;

    /// <summary><c>maxActiveFaults</c> when absent.</summary>
    public const int DefaultMaxActiveFaults = 10_000;

    /// <summary>The largest <c>maxActiveFaults</c>.</summary>
    public const int MaxActiveFaultsLimit = 1_000_000;

    /// <summary>The most <c>headers</c> entries.</summary>
    public const int MaxHeaderMatches = 16;

    /// <summary>The longest header name or match value.</summary>
    public const int MaxHeaderTextLength = 1024;

    /// <summary>Header: abort with this HTTP status (with <c>headerControl</c>).</summary>
    public const string AbortHeader = "x-envoy-fault-abort-request";

    /// <summary>Header: abort a gRPC request with this gRPC status (with <c>headerControl</c>).</summary>
    public const string AbortGrpcHeader = "x-envoy-fault-abort-grpc-request";

    /// <summary>Header: the abort share's numerator, over the configured denominator (with <c>headerControl</c>).</summary>
    public const string AbortPercentageHeader = "x-envoy-fault-abort-request-percentage";

    /// <summary>Header: delay by this many milliseconds (with <c>headerControl</c>).</summary>
    public const string DelayHeader = "x-envoy-fault-delay-request";

    /// <summary>Header: the delay share's numerator, over the configured denominator (with <c>headerControl</c>).</summary>
    public const string DelayPercentageHeader = "x-envoy-fault-delay-request-percentage";
}
