namespace EnvoyExt.DynamicModules.Sdk;

// Return values of the stream hooks. Numbering is Envoy's (abi.h) so the dispatcher casts them to int.

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_headers_status</c>.</summary>
public enum HeadersStatus
{
    /// <summary>Pass the headers on to the next filter.</summary>
    Continue = 0,
    /// <summary>Hold the headers; later data still flows to this filter.</summary>
    StopIteration = 1,
    /// <summary>The ABI has no body-inject call, so this is of little use; kept for completeness.</summary>
    ContinueAndDontEndStream = 2,
    /// <summary>Hold headers and buffer the body (413/500 when over the buffer limit).</summary>
    StopAllIterationAndBuffer = 3,
    /// <summary>The default choice when waiting for a scheduler commit or a callout.</summary>
    StopAllIterationAndWatermark = 4,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_body_status</c>.</summary>
public enum BodyStatus
{
    /// <summary>Pass the frame on.</summary>
    Continue = 0,
    /// <summary>Hold and buffer the body (413/500 when over the buffer limit).</summary>
    StopIterationAndBuffer = 1,
    /// <summary>Hold and buffer the body with flow control instead of a limit.</summary>
    StopIterationAndWatermark = 2,
    /// <summary>Hold the frame without buffering.</summary>
    StopIterationNoBuffer = 3,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_{request,response}_trailers_status</c>.</summary>
public enum TrailersStatus
{
    /// <summary>Pass the trailers on.</summary>
    Continue = 0,
    /// <summary>Hold the trailers.</summary>
    StopIteration = 1,
}

/// <summary><c>envoy_dynamic_module_type_on_http_filter_local_reply_status</c>.</summary>
public enum LocalReplyStatus
{
    /// <summary>Let the local reply go out.</summary>
    Continue = 0,
    /// <summary>Reset the stream instead of replying.</summary>
    ContinueAndResetStream = 1,
}

/// <summary><c>envoy_dynamic_module_type_http_callout_init_result</c>.</summary>
public enum HttpCalloutInitResult
{
    /// <summary>Started; exactly one done (or stream end) hook follows.</summary>
    Success = 0,
    /// <summary><c>:method</c>, <c>:path</c> or host/<c>:authority</c> is missing.</summary>
    MissingRequiredHeaders = 1,
    /// <summary>No cluster of that name.</summary>
    ClusterNotFound = 2,
    /// <summary>Envoy reported an id already in use.</summary>
    DuplicateCalloutId = 3,
    /// <summary>Envoy could not create the request (e.g. the stream is finishing).</summary>
    CannotCreateRequest = 4,
}

/// <summary><c>envoy_dynamic_module_type_http_callout_result</c>.</summary>
public enum HttpCalloutResult
{
    /// <summary>A complete response arrived.</summary>
    Success = 0,
    /// <summary>The callout failed or timed out.</summary>
    Reset = 1,
    /// <summary>The response was larger than Envoy buffers.</summary>
    ExceedResponseBufferLimit = 2,
}

/// <summary>
/// Why a streaming callout ended without completing
/// (<c>envoy_dynamic_module_type_http_stream_reset_reason</c>).
/// </summary>
public enum HttpStreamResetReason
{
    /// <summary>The connection to the upstream failed.</summary>
    ConnectionFailure = 0,
    /// <summary>The connection closed mid-stream.</summary>
    ConnectionTermination = 1,
    /// <summary>Reset locally (timeout, failure or <see cref="HttpFilterContext.ResetHttpStream"/>).</summary>
    LocalReset = 2,
    /// <summary>Refused locally.</summary>
    LocalRefusedStreamReset = 3,
    /// <summary>Too many streams or too much data.</summary>
    Overflow = 4,
    /// <summary>The upstream reset the stream.</summary>
    RemoteReset = 5,
    /// <summary>The upstream refused the stream.</summary>
    RemoteRefusedStreamReset = 6,
    /// <summary>The upstream broke the protocol.</summary>
    ProtocolError = 7,
}

/// <summary><c>envoy_dynamic_module_type_metrics_result</c>.</summary>
public enum MetricsResult
{
    /// <summary>Recorded.</summary>
    Success = 0,
    /// <summary>Envoy does not know the metric id.</summary>
    MetricNotFound = 1,
    /// <summary>The number of label values does not match the definition.</summary>
    InvalidLabels = 2,
    /// <summary>Definitions are closed (only during config creation).</summary>
    Frozen = 3,
}

/// <summary><c>envoy_dynamic_module_type_log_level</c>.</summary>
public enum LogLevel
{
    /// <summary>Trace.</summary>
    Trace = 0,
    /// <summary>Debug.</summary>
    Debug = 1,
    /// <summary>Info.</summary>
    Info = 2,
    /// <summary>Warning.</summary>
    Warn = 3,
    /// <summary>Error.</summary>
    Error = 4,
    /// <summary>Critical.</summary>
    Critical = 5,
    /// <summary>Logging off.</summary>
    Off = 6,
}
