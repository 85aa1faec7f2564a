using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Envoy's worker index for a stream; when the host lacks <c>http_filter_get_worker_index</c>, a
/// per-thread number stands in (each worker is one thread, so pools stay per-worker either way).
/// </summary>
internal static unsafe class WorkerIndex
{
    private static int s_nextFallback;
    [ThreadStatic] private static int t_fallbackPlusOne;

    public static uint Of(nint envoy)
    {
        if (EnvoyCallbacks.GetWorkerIndex != null)
        {
            return EnvoyCallbacks.GetWorkerIndex(envoy);
        }
        if (t_fallbackPlusOne == 0)
        {
            t_fallbackPlusOne = Interlocked.Increment(ref s_nextFallback);
        }
        return (uint)(t_fallbackPlusOne - 1);
    }
}
