using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>How a wait for a lease ended.</summary>
internal enum LeaseOutcome
{
    None = 0,
    /// <summary>The lease covered the request: its tokens are already taken.</summary>
    Charged = 1,
    /// <summary>Redis has no tokens left for the window.</summary>
    Limited = 2,
    /// <summary>Redis did not answer in time, is unreachable, or too many requests wait: the failure mode applies.</summary>
    Failed = 3,
}

/// <summary>
/// A request waiting for a bucket's lease. One per pooled filter object; every wait gets a fresh ticket, and
/// the outcome is published with the ticket so that a late answer for an earlier stream is never taken for
/// this one. Written by the thread that finishes the lease, read on the worker in OnScheduled.
/// </summary>
internal sealed class LeaseWaiter
{
    private static long s_nextTicket;
    private long _ticket;
    private long _outcome;

    /// <summary>A new wait; the ticket is also the scheduler event id.</summary>
    public ulong Begin()
    {
        long ticket = Interlocked.Increment(ref s_nextTicket);
        Volatile.Write(ref _outcome, 0);
        Volatile.Write(ref _ticket, ticket);
        return (ulong)ticket;
    }

    /// <summary>Records the outcome of wait <paramref name="ticket"/> and wakes the stream.</summary>
    public void Complete(ulong ticket, LeaseOutcome outcome, Scheduler scheduler)
    {
        if (Volatile.Read(ref _ticket) != (long)ticket)
        {
            return;
        }
        Volatile.Write(ref _outcome, ((long)ticket << 2) | (long)outcome);
        scheduler.Commit(ticket);
    }

    /// <summary>The outcome of wait <paramref name="ticket"/>, or None when it is not (yet) known.</summary>
    public LeaseOutcome Take(ulong ticket)
    {
        long word = Volatile.Read(ref _outcome);
        return (ulong)word >> 2 == ticket ? (LeaseOutcome)(word & 3) : LeaseOutcome.None;
    }
}
