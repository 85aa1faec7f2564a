using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Gets work back onto the stream's worker: <see cref="Commit"/> is safe from any thread and makes Envoy
/// call <see cref="HttpFilter.OnScheduled"/> on the worker. One per stream (created on first use); the SDK
/// deletes it in destroy, after which commits are silently dropped instead of touching freed memory.
/// </summary>
public sealed unsafe class Scheduler
{
    // Per-stream object, so this lock is never shared between workers; it only orders a late commit
    // from a background thread against the delete in destroy.
    private readonly Lock _gate = new();
    private nint _ptr;

    internal Scheduler(nint ptr) => _ptr = ptr;

    /// <summary>True until the stream is destroyed.</summary>
    public bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                return _ptr != 0;
            }
        }
    }

    /// <summary>Posts <paramref name="eventId"/> to the worker; false when the stream is already gone.</summary>
    public bool Commit(ulong eventId)
    {
        lock (_gate)
        {
            if (_ptr == 0)
            {
                return false;
            }
            EnvoyCallbacks.HttpFilterSchedulerCommit(_ptr, eventId);
            return true;
        }
    }

    internal void Delete()
    {
        lock (_gate)
        {
            if (_ptr != 0)
            {
                EnvoyCallbacks.HttpFilterSchedulerDelete(_ptr);
                _ptr = 0;
            }
        }
    }
}
