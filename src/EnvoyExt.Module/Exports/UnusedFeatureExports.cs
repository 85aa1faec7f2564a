using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.Module.Exports;

/// <summary>
/// Hooks for features the SDK does not offer yet: streaming callouts (per filter and per config),
/// config-level scheduling and config-level callouts. They are exported because Envoy 1.40 requires the
/// per-filter stream hooks for every HTTP filter and because a host may resolve the optional ones
/// eagerly. They are INTENTIONALLY EMPTY: the module never starts a streaming callout, a config-level
/// callout or a config-level scheduler, so Envoy has nothing to deliver here. An empty body cannot
/// throw, so no barrier is needed.
/// </summary>
internal static unsafe class UnusedFeatureExports
{
    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_headers")]
    public static void HttpStreamHeaders(nint envoy, nint filter, ulong streamId, EnvoyHttpHeader* headers, nuint count, byte endStream) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_data")]
    public static void HttpStreamData(nint envoy, nint filter, ulong streamId, EnvoyBuffer* data, nuint count, byte endStream) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_trailers")]
    public static void HttpStreamTrailers(nint envoy, nint filter, ulong streamId, EnvoyHttpHeader* trailers, nuint count) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_complete")]
    public static void HttpStreamComplete(nint envoy, nint filter, ulong streamId) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_http_stream_reset")]
    public static void HttpStreamReset(nint envoy, nint filter, ulong streamId, int reason) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_scheduled")]
    public static void ConfigScheduled(nint configEnvoy, nint configModule, ulong eventId) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_callout_done")]
    public static void ConfigHttpCalloutDone(nint configEnvoy, nint configModule, ulong calloutId, int result,
                                             EnvoyHttpHeader* headers, nuint headerCount, EnvoyBuffer* chunks, nuint chunkCount)
    { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_stream_headers")]
    public static void ConfigHttpStreamHeaders(nint configEnvoy, nint configModule, ulong streamId, EnvoyHttpHeader* headers, nuint count, byte endStream) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_stream_data")]
    public static void ConfigHttpStreamData(nint configEnvoy, nint configModule, ulong streamId, EnvoyBuffer* data, nuint count, byte endStream) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_stream_trailers")]
    public static void ConfigHttpStreamTrailers(nint configEnvoy, nint configModule, ulong streamId, EnvoyHttpHeader* trailers, nuint count) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_stream_complete")]
    public static void ConfigHttpStreamComplete(nint configEnvoy, nint configModule, ulong streamId) { }

    [UnmanagedCallersOnly(EntryPoint = "envoy_dynamic_module_on_http_filter_config_http_stream_reset")]
    public static void ConfigHttpStreamReset(nint configEnvoy, nint configModule, ulong streamId, int reason) { }
}
