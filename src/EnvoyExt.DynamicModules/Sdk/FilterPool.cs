using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Per-worker free lists of filter objects so steady-state streams allocate nothing. Each worker only
/// touches its own list (a stream is created and destroyed on the same worker), so there is no lock.
/// A pooled object keeps its GCHandle, which is why Envoy's per-stream pointer costs nothing either.
/// </summary>
public sealed class FilterPool<T> : IDisposable where T : HttpFilter
{
    private readonly Func<T> _create;
    private readonly int _maxPerWorker;
    private readonly WorkerList?[] _workers;

    /// <param name="create">Makes a new filter when the worker's list is empty (cold path).</param>
    /// <param name="maxWorkers">Workers with a higher index get no pooling (still correct, just allocating).</param>
    /// <param name="maxPerWorker">Upper bound of idle objects kept per worker.</param>
    public FilterPool(Func<T> create, int maxWorkers = 256, int maxPerWorker = 4096)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWorkers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerWorker);
        _create = create;
        _maxPerWorker = maxPerWorker;
        _workers = new WorkerList?[maxWorkers];
    }

    /// <summary>Idle objects currently held for <paramref name="workerIndex"/> (for tests and diagnostics).</summary>
    public int IdleCount(uint workerIndex) =>
        workerIndex < (uint)_workers.Length && _workers[workerIndex] is { } list ? list.Count : 0;

    /// <summary>Call on the worker that will own the stream.</summary>
    public T Rent(uint workerIndex)
    {
        if (workerIndex < (uint)_workers.Length && _workers[workerIndex] is { Count: > 0 } list)
        {
            var item = list.Items[--list.Count]!;
            list.Items[list.Count] = null;
            item.ReturnedToPool = false;
            return item;
        }
        return _create();
    }

    /// <summary>Call from <see cref="HttpFilter.OnDestroy"/> (same worker as <see cref="Rent"/>).</summary>
    public void Return(T filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var index = filter.WorkerIndex;
        if (index >= (uint)_workers.Length)
        {
            return;
        }
        var list = _workers[index] ??= new WorkerList(Math.Min(_maxPerWorker, 64));
        if (list.Count == _maxPerWorker)
        {
            return; // Over the bound: let the GC have it; the dispatcher frees its handle.
        }
        if (list.Count == list.Items.Length)
        {
            Array.Resize(ref list.Items, Math.Min(_maxPerWorker, list.Items.Length * 2));
        }
        list.Items[list.Count++] = filter;
        filter.ReturnedToPool = true;
    }

    /// <summary>Frees the handles of idle objects; call from the config's Dispose (no streams left).</summary>
    public void Dispose()
    {
        foreach (var list in _workers)
        {
            if (list is null)
            {
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                var filter = list.Items[i]!;
                if (filter.Handle != 0)
                {
                    GCHandle.FromIntPtr(filter.Handle).Free();
                    filter.Handle = 0;
                }
                list.Items[i] = null;
            }
            list.Count = 0;
        }
    }

    private sealed class WorkerList(int capacity)
    {
        public T?[] Items = new T?[capacity];
        public int Count;
    }
}
