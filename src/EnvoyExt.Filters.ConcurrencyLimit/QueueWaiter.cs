using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>Where a queued stream stands; written only under its limiter's queue lock.</summary>
internal enum WaiterState
{
    None,
    Waiting,
    Granted,
    TimedOut,
}

/// <summary>
/// A stream's place in a limiter's FIFO queue: an intrusive list node owned by one pooled filter object,
/// so queueing allocates nothing but the stream's scheduler. Every field is guarded by the limiter's
/// queue lock; the owner always takes the node out (cancel or outcome) before the object serves another stream.
/// </summary>
internal sealed class QueueWaiter
{
    public QueueWaiter? Previous;
    public QueueWaiter? Next;
    public WaiterState State;
    public ulong Ticket;
    public long DeadlineMs;
    public Scheduler? Scheduler;
}
