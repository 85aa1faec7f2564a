using System.Runtime.CompilerServices;

namespace EnvoyExt.DynamicModules.Abi;

/// <summary>
/// The per-request callbacks that are leaves in Envoy: they read or write the stream's own state (headers,
/// metrics, route config, attributes, worker index), return quickly, never block and never call back into the
/// module. Those skip the GC transition (<c>SuppressGCTransition</c>), which is most of the fixed cost of a
/// call into Envoy. Callbacks that re-enter the module or may block (send_response, continue_decoding/encoding,
/// reset_stream, callouts, log, scheduler commit) always go through <see cref="EnvoyCallbacks"/> with the
/// transition: a GC that must wait for a thread running native code without it would stall every worker.
/// docs/architecture.md states the rule.
/// </summary>
internal static unsafe class LeafCallbacks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte GetHeader(nint envoy, int type, ModuleBuffer key, EnvoyBuffer* result, nuint index, nuint* count) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, ModuleBuffer, EnvoyBuffer*, nuint, nuint*, byte>)EnvoyCallbacks.HttpGetHeader)(envoy, type, key, result, index, count)
            : WithTransition.GetHeader(envoy, type, key, result, index, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nuint GetHeadersSize(nint envoy, int type) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, nuint>)EnvoyCallbacks.HttpGetHeadersSize)(envoy, type)
            : WithTransition.GetHeadersSize(envoy, type);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte GetHeaders(nint envoy, int type, EnvoyHttpHeader* headers) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, EnvoyHttpHeader*, byte>)EnvoyCallbacks.HttpGetHeaders)(envoy, type, headers)
            : WithTransition.GetHeaders(envoy, type, headers);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte SetHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, ModuleBuffer, ModuleBuffer, byte>)EnvoyCallbacks.HttpSetHeader)(envoy, type, key, value)
            : WithTransition.SetHeader(envoy, type, key, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte AddHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, ModuleBuffer, ModuleBuffer, byte>)EnvoyCallbacks.HttpAddHeader)(envoy, type, key, value)
            : WithTransition.AddHeader(envoy, type, key, value);

    /// <summary>Any of the metric updates (counter, gauge, histogram): they share one signature.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UpdateMetric(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> fn, nint envoy, nuint id, ModuleBuffer* labels, nuint labelCount, ulong value) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, nuint, ModuleBuffer*, nuint, ulong, int>)fn)(envoy, id, labels, labelCount, value)
            : WithTransition.UpdateMetric(fn, envoy, id, labels, labelCount, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte GetAttributeString(nint envoy, int id, EnvoyBuffer* result) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, EnvoyBuffer*, byte>)EnvoyCallbacks.GetAttributeString)(envoy, id, result)
            : WithTransition.GetAttributeString(envoy, id, result);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte GetAttributeInt(nint envoy, int id, ulong* result) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, int, ulong*, byte>)EnvoyCallbacks.GetAttributeInt)(envoy, id, result)
            : WithTransition.GetAttributeInt(envoy, id, result);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint GetMostSpecificRouteConfig(nint envoy) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, nint>)EnvoyCallbacks.GetMostSpecificRouteConfig)(envoy)
            : WithTransition.GetMostSpecificRouteConfig(envoy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint GetWorkerIndex(nint envoy) =>
        EnvoyCallbacks.LeafCallsAreNative
            ? ((delegate* unmanaged[SuppressGCTransition]<nint, uint>)EnvoyCallbacks.GetWorkerIndex)(envoy)
            : WithTransition.GetWorkerIndex(envoy);

    /// <summary>
    /// The same calls with the GC transition (managed fakes in tests). Kept out of line: a method holding a
    /// transitioning call sets up a call frame in its prologue, which the native path must not pay for.
    /// </summary>
    private static class WithTransition
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte GetHeader(nint envoy, int type, ModuleBuffer key, EnvoyBuffer* result, nuint index, nuint* count) => EnvoyCallbacks.HttpGetHeader(envoy, type, key, result, index, count);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static nuint GetHeadersSize(nint envoy, int type) => EnvoyCallbacks.HttpGetHeadersSize(envoy, type);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte GetHeaders(nint envoy, int type, EnvoyHttpHeader* headers) => EnvoyCallbacks.HttpGetHeaders(envoy, type, headers);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte SetHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value) => EnvoyCallbacks.HttpSetHeader(envoy, type, key, value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte AddHeader(nint envoy, int type, ModuleBuffer key, ModuleBuffer value) => EnvoyCallbacks.HttpAddHeader(envoy, type, key, value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int UpdateMetric(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> fn, nint envoy, nuint id, ModuleBuffer* labels, nuint labelCount, ulong value) => fn(envoy, id, labels, labelCount, value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte GetAttributeString(nint envoy, int id, EnvoyBuffer* result) => EnvoyCallbacks.GetAttributeString(envoy, id, result);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static byte GetAttributeInt(nint envoy, int id, ulong* result) => EnvoyCallbacks.GetAttributeInt(envoy, id, result);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static nint GetMostSpecificRouteConfig(nint envoy) => EnvoyCallbacks.GetMostSpecificRouteConfig(envoy);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static uint GetWorkerIndex(nint envoy) => EnvoyCallbacks.GetWorkerIndex(envoy);
    }
}
