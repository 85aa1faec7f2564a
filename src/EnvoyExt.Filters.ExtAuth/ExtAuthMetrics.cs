using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>
/// The filter's metrics, defined once per filter config: one counter per outcome (a failed check counts
/// as error or timeout, and also as failed_open when it let the request through) and the check latency.
/// </summary>
internal sealed class ExtAuthMetrics(
    CounterId allowed, CounterId denied, CounterId error, CounterId timeout, CounterId failedOpen, HistogramId latency)
{
    public CounterId Allowed { get; } = allowed;

    public CounterId Denied { get; } = denied;

    public CounterId Error { get; } = error;

    public CounterId Timeout { get; } = timeout;

    public CounterId FailedOpen { get; } = failedOpen;

    /// <summary>Microseconds from sending the check to its answer (or failure).</summary>
    public HistogramId LatencyUs { get; } = latency;

    public static ExtAuthMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new ExtAuthMetrics(
            metrics.DefineCounter("ext_auth_allowed"),
            metrics.DefineCounter("ext_auth_denied"),
            metrics.DefineCounter("ext_auth_error"),
            metrics.DefineCounter("ext_auth_timeout"),
            metrics.DefineCounter("ext_auth_failed_open"),
            metrics.DefineHistogram("ext_auth_check_duration_us"));
    }
}
