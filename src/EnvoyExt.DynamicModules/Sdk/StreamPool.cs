namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Per-worker free lists of <see cref="FilterStream"/>s for one config, so steady-state streams
/// allocate nothing. Each worker only touches its own list (a stream is created and destroyed on the
/// same worker), so there is no lock. A pooled stream keeps its GCHandle, which is why Envoy's
/// per-stream pointer costs nothing either.
/// </summary>
internal sealed class StreamPool
{
    public const int DefaultMaxWorkers = 256;
    public const int DefaultMaxPerWorker = 4096;

    private readonly int _maxPerWorker;
    private readonly WorkerList?[] _workers;
    private volatile bool _disposed;

    /// <param name="maxWorkers">Workers with a higher index get no pooling (still correct, just allocating).</param>
    /// <param name="maxPerWorker">Upper bound of idle objects kept per worker.</param>
    public StreamPool(int maxWorkers = DefaultMaxWorkers, int maxPerWorker = DefaultMaxPerWorker)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWorkers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerWorker);
        _maxPerWorker = maxPerWorker;
        _workers = new WorkerList?[maxWorkers];
    }

    /// <summary>Idle objects currently held for <paramref name="workerIndex"/> (tests and diagnostics).</summary>
    public int IdleCount(uint workerIndex) =>
        workerIndex < (uint)_workers.Length && _workers[workerIndex] is { } list ? list.Count : 0;

    /// <summary>An idle stream of this worker, already reset for reuse, or null (then the caller creates one).</summary>
    public FilterStream? TryRent(uint workerIndex)
    {
        if (workerIndex < (uint)_workers.Length && _workers[workerIndex] is { Count: > 0 } list)
        {
            var item = list.Items[--list.Count]!;
            list.Items[list.Count] = null;
            try
            {
                item.Filter.PrepareForReuse();
            }
            catch
            {
                item.FreeHandle(); // dropped from the pool: nothing else refers to its handle
                throw;
            }
            return item;
        }
        return null;
    }

    /// <summary>Keeps <paramref name="stream"/> for its worker; false when over the bound or disposed (caller frees the handle).</summary>
    public bool Return(FilterStream stream)
    {
        var index = stream.WorkerIndex;
        if (_disposed || index >= (uint)_workers.Length)
        {
            return false;
        }
        var list = _workers[index] ??= new WorkerList(Math.Min(_maxPerWorker, 64));
        if (list.Count == _maxPerWorker)
        {
            return false;
        }
        if (list.Count == list.Items.Length)
        {
            Array.Resize(ref list.Items, Math.Min(_maxPerWorker, list.Items.Length * 2));
        }
        list.Items[list.Count++] = stream;
        return true;
    }

    /// <summary>Frees the handles of idle streams; config_destroy calls it once no stream is left.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var list in _workers)
        {
            if (list is null)
            {
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                list.Items[i]!.FreeHandle();
                list.Items[i] = null;
            }
            list.Count = 0;
        }
    }

    private sealed class WorkerList(int capacity)
    {
        public FilterStream?[] Items = new FilterStream?[capacity];
        public int Count;
    }
}
