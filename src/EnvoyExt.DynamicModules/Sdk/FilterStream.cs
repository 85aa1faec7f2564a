using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The SDK's per-stream bookkeeping next to the author's filter object. Envoy's per-stream module
/// pointer (<c>fm</c>) is a <see cref="StreamSlot"/> that holds a GCHandle to this object; the slot
/// keeps that binding while the native entry pools it, and an unbound object waits in its config's
/// <see cref="StreamPool"/>, so the handle and both objects are reused and a steady-state stream
/// allocates nothing.
/// </summary>
internal sealed unsafe class FilterStream
{
    public FilterStream(ConfigHolder owner, HttpFilter filter)
    {
        Owner = owner;
        Filter = filter;
        EndHooksAlways = filter.EndOfStreamHooksChoice == EndOfStreamHooks.Always;
        DestroyAfterComplete = filter.DestroyAfterStreamCompleteChoice;
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    // The stand-in's: no filter to run and no handle, since no slot ever holds it.
    private FilterStream(ConfigHolder owner)
    {
        Owner = owner;
        Filter = NotBegunFilter.Instance;
        Faulted = true;
    }

    /// <summary>The config that created the filter (filter name, pool).</summary>
    public ConfigHolder Owner { get; }

    /// <summary>The author's object.</summary>
    public HttpFilter Filter { get; }

    /// <summary>The GCHandle a bound <see cref="StreamSlot"/> holds; 0 once freed.</summary>
    public nint Handle;

    /// <summary>The slot of the current stream (Envoy's <c>fm</c>), set when the stream begins.</summary>
    public StreamSlot* Slot;

    /// <summary>The filter wants OnStreamComplete and OnDestroy on every stream (read once: it is the filter's class's choice).</summary>
    public bool EndHooksAlways { get; }

    /// <summary>OnDestroy runs even after OnStreamComplete ran to its end (read once: the filter's class's choice).</summary>
    public bool DestroyAfterComplete { get; }

    /// <summary>OnStreamComplete ran to its end on the current stream.</summary>
    public bool Completed;

    /// <summary>Envoy's <c>fe</c>: valid from filter_new until destroy.</summary>
    public nint EnvoyPtr;

    /// <summary>The worker that owns the stream (pools are per worker).</summary>
    public uint WorkerIndex;

    /// <summary>Decides local 500 vs reset when a hook fails.</summary>
    public bool ResponseStarted;

    /// <summary>After a failure the filter is bypassed for the rest of the stream (and not pooled).</summary>
    public bool Faulted;

    /// <summary>The stream's scheduler, created on first use and deleted in destroy.</summary>
    public Scheduler? Scheduler;

    public string FilterName => Owner.FilterName;

    /// <summary>
    /// The stand-in that every hook of a stream whose begin failed gets (<see cref="StreamSlotFlags.BeginFailed"/>):
    /// faulted from the start, so each hook passes the stream through without running filter code, as it
    /// does for a filter that threw. No slot holds it, so destroy never pools or frees it; the config's
    /// workers share it, so nothing writes to it.
    /// </summary>
    public static FilterStream NotBegun(ConfigHolder owner) => new(owner);

    public void Begin(StreamSlot* slot, nint envoy, uint workerIndex)
    {
        Slot = slot;
        slot->Flags = EndHooksAlways ? StreamSlotFlags.EndHooks : StreamSlotFlags.None;
        EnvoyPtr = envoy;
        WorkerIndex = workerIndex;
        ResponseStarted = false;
        Faulted = false;
        Completed = false;
        Scheduler = null;
    }

    /// <summary>Makes stream_complete and destroy reach .NET for the current stream.</summary>
    public void RequireEndHooks() => Slot->Flags |= StreamSlotFlags.EndHooks;

    public void FreeHandle()
    {
        if (Handle != 0)
        {
            GCHandle.FromIntPtr(Handle).Free();
            Handle = 0;
        }
    }

    private sealed class NotBegunFilter : HttpFilter
    {
        public static readonly NotBegunFilter Instance = new();
    }
}
