using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Timing;

/// <summary>
/// A held stream's entry in a <see cref="DelayTimer"/>: owned by one pooled filter object, so a
/// delay allocates nothing but the stream's scheduler. Every field is guarded by the timer's lock; the
/// owner always takes the entry out (cancel or fired) before the object serves another stream.
/// </summary>
public sealed class DelayWaiter
{
    internal int HeapIndex = -1;
    internal long DueMs;
    internal ulong Ticket;
    internal bool Fired;
    internal Scheduler? Scheduler;
}
