using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Exports;

/// <summary>
/// Config-level hooks for features the SDK does not offer: config-level scheduling, callouts and
/// streaming callouts. They are exported because a host may resolve them eagerly. They are
/// INTENTIONALLY EMPTY: the SDK never starts any of these, so Envoy has nothing to deliver here. An
/// empty body cannot throw, so no barrier is needed.
/// </summary>
internal static unsafe class ConfigLevelExports
{
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
