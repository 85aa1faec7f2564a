using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Fault;

/// <summary>
/// A delayed stream's entry in its rule's <see cref="DelayTimer"/>: owned by one pooled filter object, so a
/// delay allocates nothing but the stream's scheduler. Every field is guarded by the timer's lock; the
/// owner always takes the entry out (cancel or fired) before the object serves another stream.
/// </summary>
internal sealed class DelayWaiter
{
    public int HeapIndex = -1;
    public long DueMs;
    public ulong Ticket;
    public bool Fired;
    public Scheduler? Scheduler;
}
