namespace EnvoyExt.DynamicModules.Abi;

// Selector and result enums of the v1.40 ABI. C enums are int-sized; the numbering is Envoy's and
// must never be changed. Enums a filter author sees (statuses, attribute ids) live in Sdk/ with the
// same numbering so they pass through the boundary with a plain cast.

/// <summary><c>envoy_dynamic_module_type_http_header_type</c>.</summary>
internal enum HttpHeaderType
{
    RequestHeader = 0,
    RequestTrailer = 1,
    ResponseHeader = 2,
    ResponseTrailer = 3,
}

/// <summary><c>envoy_dynamic_module_type_http_body_type</c>.</summary>
internal enum HttpBodyType
{
    ReceivedRequestBody = 0,
    BufferedRequestBody = 1,
    ReceivedResponseBody = 2,
    BufferedResponseBody = 3,
}

/// <summary><c>envoy_dynamic_module_type_http_filter_stream_reset_reason</c>.</summary>
internal enum HttpFilterStreamResetReason
{
    LocalReset = 0,
    LocalRefusedStreamReset = 1,
}
