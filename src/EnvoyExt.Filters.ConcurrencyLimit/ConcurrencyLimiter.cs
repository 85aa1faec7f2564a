using System.Runtime.CompilerServices;
using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.ConcurrencyLimit.Config;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>What <see cref="ConcurrencyLimiter.EnqueueOrAcquire"/> decided.</summary>
internal enum Admission
{
    Acquired,
    Queued,
    Full,
}

/// <summary>
/// One limit (a listener config or a route's), shared by every worker. The in-flight count is one atomic
/// counter: while nobody waits, admission and release are a compare-and-swap and a decrement. The optional
/// FIFO queue is an intrusive list behind a lock that only queueing streams take; a granted or timed-out
/// waiter is told through its own stream's scheduler, so it resumes on its own worker. One module-owned
/// timer per limiter fires at the head's deadline (FIFO with one maximum wait: the head always expires first).
/// </summary>
internal sealed class ConcurrencyLimiter : IDisposable
{
    private readonly Lock _queueLock = new();
    private readonly Timer? _timer;
    private readonly int _maxQueued;
    private readonly int _maxWaitMs;
    private readonly InFlightGauge _gauge = new();
    private readonly RouteDocumentCount? _routeDocuments;
    private int _inFlight;
    private int _queued;
    private QueueWaiter? _head;
    private QueueWaiter? _tail;
    private ulong _lastTicket;
    private bool _disposed;

    /// <summary>
    /// The adaptive limit (if any) runs on <paramref name="clock"/>; <paramref name="random"/> jitters its
    /// measurements. A route's limiter counts itself in <paramref name="routeDocuments"/> until disposed.
    /// </summary>
    public ConcurrencyLimiter(ConcurrencyLimitConfig config, TimeProvider clock, Random random, RouteDocumentCount? routeDocuments = null)
    {
        _routeDocuments = routeDocuments;
        routeDocuments?.Created();
        Label = Encoding.UTF8.GetBytes(config.Name ?? "default");
        MaxInFlight = config.MaxConcurrentRequests ?? 1;
        if (config.Adaptive is { } adaptive)
        {
            Adaptive = new AdaptiveLimit(adaptive, MaxInFlight, clock, random);
        }
        if (config.Queue is { } queue)
        {
            _maxQueued = queue.MaxSize ?? 0;
            _maxWaitMs = queue.MaxWaitMs ?? 0;
            _timer = new Timer(static state => ((ConcurrencyLimiter)state!).ExpireWaiters(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>The metric label value (UTF-8).</summary>
    public byte[] Label { get; }

    /// <summary>The configured maximum: the fixed limit, or the adaptive limit's upper bound.</summary>
    public int MaxInFlight { get; }

    /// <summary>The gradient controller when the limit is adaptive, else null.</summary>
    public AdaptiveLimit? Adaptive { get; }

    /// <summary>The limit admissions are checked against now.</summary>
    public int Limit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Adaptive is { } adaptive ? adaptive.Limit : MaxInFlight;
    }

    public bool HasQueue => _maxQueued > 0;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>The lock-free path: a slot when nobody is waiting and the limit is not reached.</summary>
    public bool TryAcquire() => Volatile.Read(ref _queued) == 0 && TryTakeSlot();

    /// <summary>
    /// Sets the in-flight gauge from the counter when it has drifted too far from the value last set
    /// (<see cref="InFlightGauge"/>); on most admissions and releases this is a comparison and no call into Envoy.
    /// </summary>
    public void PublishInFlight(StreamMetrics metrics, GaugeId gauge)
    {
        if (_gauge.IsDue(Volatile.Read(ref _inFlight), Limit))
        {
            var target = new StreamGauge(metrics, gauge, Label);
            _gauge.Publish(in target, ref _inFlight, Limit);
        }
    }

    /// <summary>Frees a slot and, when streams wait, hands free slots to the oldest of them.</summary>
    public void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        // Full fence above, then read: a waiter linked concurrently either sees the freed slot in its own
        // pump or is seen here (the same pairing on the other side: increment _queued, then try a slot).
        if (Volatile.Read(ref _queued) != 0)
        {
            lock (_queueLock)
            {
                GrantFreeSlots(self: null);
            }
        }
    }

    /// <summary>
    /// An admitted request completed (adaptive limits only): feeds its latency to the controller. True when
    /// the limit was recalculated; a raised limit hands its new slots to the oldest waiters at once.
    /// </summary>
    public bool RecordCompletion(long admittedAt, int weight = 1)
    {
        if (Adaptive is not { } adaptive || !adaptive.Record(admittedAt, weight))
        {
            return false;
        }
        if (Volatile.Read(ref _queued) != 0)
        {
            lock (_queueLock)
            {
                GrantFreeSlots(self: null);
            }
        }
        return true;
    }

    /// <summary>
    /// The queueing path: a slot if one is free and nobody waits, else a place at the tail (the caller
    /// then waits for its scheduler event <see cref="QueueWaiter.Ticket"/>), else <see cref="Admission.Full"/>.
    /// </summary>
    public Admission EnqueueOrAcquire(QueueWaiter waiter, Scheduler scheduler)
    {
        lock (_queueLock)
        {
            if (_head is null && TryTakeSlot())
            {
                return Admission.Acquired;
            }
            if (_queued >= _maxQueued)
            {
                return Admission.Full;
            }
            waiter.State = WaiterState.Waiting;
            waiter.Ticket = ++_lastTicket;
            waiter.DeadlineMs = Environment.TickCount64 + _maxWaitMs;
            waiter.Scheduler = scheduler;
            waiter.Previous = _tail;
            waiter.Next = null;
            if (_tail is null)
            {
                _head = waiter;
                _timer!.Change(_maxWaitMs, Timeout.Infinite);
            }
            else
            {
                _tail.Next = waiter;
            }
            _tail = waiter;
            Interlocked.Increment(ref _queued);
            GrantFreeSlots(self: waiter);
            if (waiter.State == WaiterState.Granted)
            {
                waiter.State = WaiterState.None;
                waiter.Scheduler = null;
                return Admission.Acquired;
            }
            return Admission.Queued;
        }
    }

    /// <summary>The owner reads (and clears) the outcome its scheduler event announced.</summary>
    public WaiterState TakeOutcome(QueueWaiter waiter, ulong eventId)
    {
        lock (_queueLock)
        {
            var state = waiter.State;
            if (eventId != waiter.Ticket || state is WaiterState.None or WaiterState.Waiting)
            {
                return WaiterState.None;
            }
            waiter.State = WaiterState.None;
            waiter.Scheduler = null;
            return state;
        }
    }

    /// <summary>
    /// The stream ends while queued or before its grant arrived: leaves the queue. True when a slot had
    /// already been granted (the caller then owns it and must <see cref="Release"/> it).
    /// </summary>
    public bool Cancel(QueueWaiter waiter, out bool wasQueued)
    {
        lock (_queueLock)
        {
            var state = waiter.State;
            wasQueued = state != WaiterState.None;
            if (state == WaiterState.Waiting)
            {
                Unlink(waiter);
            }
            waiter.State = WaiterState.None;
            waiter.Scheduler = null;
            return state == WaiterState.Granted;
        }
    }

    public void Dispose()
    {
        lock (_queueLock)
        {
            // Under the lock: a timer callback already running sees the flag instead of a disposed timer.
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _timer?.Dispose();
            _routeDocuments?.Destroyed();
        }
    }

    private bool TryTakeSlot()
    {
        int limit = Limit;
        int current = Volatile.Read(ref _inFlight);
        while (current < limit)
        {
            int seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }

    // Under the lock: oldest first, one slot per waiter; the event reaches the waiter's own worker.
    private void GrantFreeSlots(QueueWaiter? self)
    {
        while (_head is { } head && TryTakeSlot())
        {
            Unlink(head);
            head.State = WaiterState.Granted;
            if (head != self)
            {
                head.Scheduler!.Commit(head.Ticket);
            }
        }
    }

    private void ExpireWaiters()
    {
        lock (_queueLock)
        {
            if (_disposed)
            {
                return;
            }
            long now = Environment.TickCount64;
            while (_head is { } head && head.DeadlineMs <= now)
            {
                Unlink(head);
                head.State = WaiterState.TimedOut;
                head.Scheduler!.Commit(head.Ticket);
            }
            if (_head is { } next)
            {
                _timer!.Change(Math.Max(1, next.DeadlineMs - now), Timeout.Infinite);
            }
        }
    }

    private void Unlink(QueueWaiter waiter)
    {
        if (waiter.Previous is { } previous)
        {
            previous.Next = waiter.Next;
        }
        else
        {
            _head = waiter.Next;
        }
        if (waiter.Next is { } next)
        {
            next.Previous = waiter.Previous;
        }
        else
        {
            _tail = waiter.Previous;
        }
        waiter.Previous = null;
        waiter.Next = null;
        Interlocked.Decrement(ref _queued);
    }
}
