namespace EnvoyExt.DynamicModules.Sdk;

// Return values of the stream hooks. Numbering is Envoy's (abi.h) so the dispatcher casts them to int.

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_headers_status</c>.</summary>
public enum HeadersStatus
{
    Continue = 0,
    StopIteration = 1,
    /// <summary>The ABI has no body-inject call, so this is of little use; kept for completeness.</summary>
    ContinueAndDontEndStream = 2,
    StopAllIterationAndBuffer = 3,
    /// <summary>The default choice when waiting for a scheduler commit or a callout.</summary>
    StopAllIterationAndWatermark = 4,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_body_status</c>.</summary>
public enum BodyStatus
{
    Continue = 0,
    StopIterationAndBuffer = 1,
    StopIterationAndWatermark = 2,
    StopIterationNoBuffer = 3,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_trailers_status</c>.</summary>
public enum TrailersStatus
{
    Continue = 0,
    StopIteration = 1,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_local_reply_status</c>.</summary>
public enum LocalReplyStatus
{
    Continue = 0,
    ContinueAndResetStream = 1,
}

/// <summary><c>envoy_dynamic_module_type_http_callout_init_result</c>.</summary>
public enum HttpCalloutInitResult
{
    Success = 0,
    MissingRequiredHeaders = 1,
    ClusterNotFound = 2,
    DuplicateCalloutId = 3,
    CannotCreateRequest = 4,
}

/// <summary><c>envoy_dynamic_module_type_http_callout_result</c>.</summary>
public enum HttpCalloutResult
{
    Success = 0,
    Reset = 1,
    ExceedResponseBufferLimit = 2,
}

/// <summary><c>envoy_dynamic_module_type_metrics_result</c>.</summary>
public enum MetricsResult
{
    Success = 0,
    MetricNotFound = 1,
    InvalidLabels = 2,
    Frozen = 3,
}

/// <summary><c>envoy_dynamic_module_type_log_level</c>.</summary>
public enum LogLevel
{
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Critical = 5,
    Off = 6,
}
