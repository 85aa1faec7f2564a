using System.Runtime.InteropServices;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Exports;

/// <summary>
/// What the module's native stream entry (native/module_entry/stream_entry.c, linked into the same
/// library) calls when a lifecycle hook has managed work: Envoy's filter_config_new/destroy,
/// filter_new, stream_complete and destroy are exported by that C code, which answers filter_new and
/// destroy from per-worker slot pools and calls in here only when needed. The names are this
/// library's, not Envoy's; each forwards to the dispatcher, which owns the exception barrier. C bool
/// arrives and leaves as a byte.
/// </summary>
internal static unsafe class StreamEntryExports
{
    [UnmanagedCallersOnly(EntryPoint = "envoyext_sdk_http_filter_config_new")]
    public static nint ConfigNew(nint configEnvoy, EnvoyBuffer name, EnvoyBuffer config) =>
        HttpFilterDispatcher.ConfigNew(configEnvoy, name, config);

    [UnmanagedCallersOnly(EntryPoint = "envoyext_sdk_http_filter_config_destroy")]
    public static void ConfigDestroy(nint configHandle) => HttpFilterDispatcher.ConfigDestroy(configHandle);

    [UnmanagedCallersOnly(EntryPoint = "envoyext_sdk_http_filter_stream_complete")]
    public static void StreamComplete(nint envoy, StreamSlot* slot) => HttpFilterDispatcher.StreamComplete(envoy, (nint)slot);

    [UnmanagedCallersOnly(EntryPoint = "envoyext_sdk_http_filter_destroy")]
    public static byte Destroy(StreamSlot* slot, byte keepBinding) =>
        HttpFilterDispatcher.DestroyStream(slot, keepBinding != 0) ? (byte)1 : (byte)0;
}
