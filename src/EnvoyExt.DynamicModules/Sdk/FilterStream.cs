using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The SDK's per-stream bookkeeping next to the author's filter object. Envoy's per-stream module
/// pointer (<c>fm</c>) is a GCHandle to this object; it is pooled together with its filter, so the
/// handle and both objects are reused and a steady-state stream allocates nothing.
/// </summary>
internal sealed class FilterStream
{
    public FilterStream(ConfigHolder owner, HttpFilter filter)
    {
        Owner = owner;
        Filter = filter;
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>The config that created the filter (filter name, pool).</summary>
    public ConfigHolder Owner { get; }

    /// <summary>The author's object.</summary>
    public HttpFilter Filter { get; }

    /// <summary>The GCHandle Envoy holds as <c>fm</c>; 0 once freed.</summary>
    public nint Handle;

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

    public void Begin(nint envoy, uint workerIndex)
    {
        EnvoyPtr = envoy;
        WorkerIndex = workerIndex;
        ResponseStarted = false;
        Faulted = false;
        Scheduler = null;
    }

    public void FreeHandle()
    {
        if (Handle != 0)
        {
            GCHandle.FromIntPtr(Handle).Free();
            Handle = 0;
        }
    }
}
