using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Envoy's worker index for a stream. A worker is one thread for the life of the process, so the
/// index is asked for once per thread and cached, which saves a call into Envoy on every stream. When
/// the host lacks <c>http_filter_get_worker_index</c>, a per-thread number stands in (pools stay
/// per-worker either way).
/// </summary>
internal static unsafe class WorkerIndex
{
    private static int s_nextFallback;
    [ThreadStatic] private static uint t_indexPlusOne;

    public static uint Of(nint envoy)
    {
        var cached = t_indexPlusOne;
        if (cached != 0)
        {
            return cached - 1;
        }
        var index = EnvoyCallbacks.GetWorkerIndex != null
            ? LeafCallbacks.GetWorkerIndex(envoy)
            : (uint)(Interlocked.Increment(ref s_nextFallback) - 1);
        t_indexPlusOne = index + 1;
        return index;
    }
}
