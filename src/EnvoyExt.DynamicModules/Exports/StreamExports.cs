using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Exports;

/// <summary>
/// Per-stream hooks (the stream's worker thread); filter_new, stream_complete and destroy are the
/// native stream entry's (see <see cref="StreamEntryExports"/>). Each forwards to the SDK dispatcher, whose barrier
/// turns an exception into a local 500 + Stop (request path) or a stream reset (response path).
/// C bool arrives as a byte.
/// </summary>
internal static unsafe class StreamExports
{
    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_request_headers")]
    public static int RequestHeaders(nint envoy, nint filter, byte endOfStream) =>
        HttpFilterDispatcher.RequestHeaders(envoy, filter, endOfStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_request_body")]
    public static int RequestBody(nint envoy, nint filter, byte endOfStream) =>
        HttpFilterDispatcher.RequestBody(envoy, filter, endOfStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_request_trailers")]
    public static int RequestTrailers(nint envoy, nint filter) => HttpFilterDispatcher.RequestTrailers(envoy, filter);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_response_headers")]
    public static int ResponseHeaders(nint envoy, nint filter, byte endOfStream) =>
        HttpFilterDispatcher.ResponseHeaders(envoy, filter, endOfStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_response_body")]
    public static int ResponseBody(nint envoy, nint filter, byte endOfStream) =>
        HttpFilterDispatcher.ResponseBody(envoy, filter, endOfStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_response_trailers")]
    public static int ResponseTrailers(nint envoy, nint filter) => HttpFilterDispatcher.ResponseTrailers(envoy, filter);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_scheduled")]
    public static void Scheduled(nint envoy, nint filter, ulong eventId) => HttpFilterDispatcher.Scheduled(envoy, filter, eventId);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_callout_done")]
    public static void HttpCalloutDone(nint envoy, nint filter, ulong calloutId, int result,
                                       EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* bodyChunks, nuint chunkCount) =>
        HttpFilterDispatcher.HttpCalloutDone(envoy, filter, calloutId, result, headers, headerCount, bodyChunks, chunkCount);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_local_reply")]
    public static int LocalReply(nint envoy, nint filter, uint responseCode, EnvoyBuffer details, byte resetImminent) =>
        HttpFilterDispatcher.LocalReply(envoy, filter, responseCode, details, resetImminent != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark")]
    public static void AboveHighWatermark(nint envoy, nint filter) => HttpFilterDispatcher.AboveHighWatermark(envoy, filter);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark")]
    public static void BelowLowWatermark(nint envoy, nint filter) => HttpFilterDispatcher.BelowLowWatermark(envoy, filter);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_headers")]
    public static void HttpStreamHeaders(nint envoy, nint filter, ulong streamId, EnvoyHttpHeader* headers, nuint count, byte endStream) =>
        HttpFilterDispatcher.HttpStreamHeaders(envoy, filter, streamId, headers, count, endStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_data")]
    public static void HttpStreamData(nint envoy, nint filter, ulong streamId, EnvoyBuffer* data, nuint count, byte endStream) =>
        HttpFilterDispatcher.HttpStreamData(envoy, filter, streamId, data, count, endStream != 0);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_trailers")]
    public static void HttpStreamTrailers(nint envoy, nint filter, ulong streamId, EnvoyHttpHeader* trailers, nuint count) =>
        HttpFilterDispatcher.HttpStreamTrailers(envoy, filter, streamId, trailers, count);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_complete")]
    public static void HttpStreamComplete(nint envoy, nint filter, ulong streamId) =>
        HttpFilterDispatcher.HttpStreamComplete(envoy, filter, streamId);

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_reset")]
    public static void HttpStreamReset(nint envoy, nint filter, ulong streamId, int reason) =>
        HttpFilterDispatcher.HttpStreamReset(envoy, filter, streamId, reason);
}
