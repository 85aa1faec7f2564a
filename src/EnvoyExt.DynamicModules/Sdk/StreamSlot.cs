using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Envoy's per-stream module pointer: a native slot owned by the module's native stream entry
/// (native/module_entry/stream_entry.c), which answers filter_new and destroy without entering .NET
/// and pools slots per worker together with their binding to a <see cref="FilterStream"/>. The layout
/// mirrors <c>envoyext_stream_slot</c> in native/module_entry/stream_slots.h; only the shared head is
/// declared here.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StreamSlot
{
    /// <summary>GCHandle of the bound <see cref="FilterStream"/>; 0 while unbound.</summary>
    public nint StreamHandle;

    /// <summary>GCHandle of the config's <see cref="ConfigHolder"/>.</summary>
    public nint ConfigHandle;

    public StreamSlotFlags Flags;

    /// <summary>Envoy's worker index, or <see cref="uint.MaxValue"/> when the slot is not pooled.</summary>
    public uint Worker;

    /// <summary>The native tail (owner, idle-list link): only its size matters here.</summary>
    private nint _owner;
    private nint _nextIdle;

    /// <summary>
    /// A slot for a host without the native entry (the testing library's fake Envoy): allocated per
    /// stream and freed after destroy, with the same flags protocol.
    /// </summary>
    public static unsafe StreamSlot* AllocateUnpooled(nint configHandle)
    {
        var slot = (StreamSlot*)NativeMemory.AllocZeroed((nuint)sizeof(StreamSlot));
        slot->ConfigHandle = configHandle;
        slot->Flags = StreamSlotFlags.Begin;
        slot->Worker = uint.MaxValue;
        return slot;
    }

    public static unsafe void FreeUnpooled(StreamSlot* slot) => NativeMemory.Free(slot);
}

/// <summary>The slot's flags; values are those of stream_slots.h.</summary>
[Flags]
internal enum StreamSlotFlags : uint
{
    None = 0,

    /// <summary>filter_new ran: the first hook that enters .NET begins the stream.</summary>
    Begin = 1,

    /// <summary>stream_complete and destroy must reach .NET.</summary>
    EndHooks = 2,

    /// <summary>Beginning the stream failed: its later hooks pass it through (<see cref="FilterStream.NotBegun"/>).</summary>
    BeginFailed = 4,
}

/// <summary>Binding a stream object to its slot failed (creating or resetting the filter); carries the filter's name to the barrier's log line.</summary>
internal sealed class StreamBeginException(string filterName, Exception inner)
    : Exception($"{filterName}: the stream could not begin", inner)
{
    public string FilterName { get; } = filterName;
}
