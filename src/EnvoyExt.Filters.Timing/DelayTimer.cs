using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Timing;

/// <summary>
/// The delays of one filter document, shared by every worker: a min-heap of due times behind a lock that
/// only delayed streams take, and one module-owned timer armed for the earliest. A due entry is told
/// through its own stream's scheduler, so it resumes on its own worker; no worker thread ever sleeps.
/// The heap holds one entry per waiting stream direction, so the streams Envoy admits bound its size.
/// </summary>
public sealed class DelayTimer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private DelayWaiter[] _heap = new DelayWaiter[16];
    private int _count;
    private ulong _lastTicket;
    private bool _disposed;

    /// <summary>A timer with nothing scheduled.</summary>
    public DelayTimer() =>
        _timer = new Timer(static state => ((DelayTimer)state!).FireDue(), this, Timeout.Infinite, Timeout.Infinite);

    /// <summary>Entries waiting (for tests).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Holds <paramref name="waiter"/> for <paramref name="delayMs"/>; its scheduler then gets the returned ticket.</summary>
    /// <param name="waiter">The caller's entry; not scheduled already.</param>
    /// <param name="scheduler">The stream's scheduler.</param>
    /// <param name="delayMs">Milliseconds from now.</param>
    /// <returns>The event id the scheduler will deliver.</returns>
    public ulong Schedule(DelayWaiter waiter, Scheduler scheduler, int delayMs)
    {
        lock (_lock)
        {
            long now = Environment.TickCount64;
            waiter.Ticket = ++_lastTicket;
            waiter.DueMs = now + delayMs;
            waiter.Fired = false;
            waiter.Scheduler = scheduler;
            Push(waiter);
            if (_heap[0] == waiter && !_disposed)
            {
                _timer.Change(Math.Max(1, delayMs), Timeout.Infinite);
            }
            return waiter.Ticket;
        }
    }

    /// <summary>True once, when <paramref name="eventId"/> is this waiter's due notice; clears the entry.</summary>
    /// <param name="waiter">The caller's entry.</param>
    /// <param name="eventId">The event the stream's scheduled hook received.</param>
    /// <returns>Whether the event announced this waiter's due time.</returns>
    public bool TakeFired(DelayWaiter waiter, ulong eventId)
    {
        lock (_lock)
        {
            if (!waiter.Fired || waiter.Ticket != eventId)
            {
                return false;
            }
            waiter.Fired = false;
            waiter.Scheduler = null;
            return true;
        }
    }

    /// <summary>The stream ends while held (or before its notice ran): takes the entry out.</summary>
    /// <param name="waiter">The caller's entry; a no-op when it is not scheduled.</param>
    public void Cancel(DelayWaiter waiter)
    {
        lock (_lock)
        {
            if (waiter.HeapIndex >= 0)
            {
                RemoveAt(waiter.HeapIndex);
            }
            waiter.Fired = false;
            waiter.Scheduler = null;
        }
    }

    /// <summary>Stops the timer; entries still waiting are never told.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            // Under the lock: a callback already running sees the flag instead of a disposed timer.
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void FireDue()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            long now = Environment.TickCount64;
            while (_count > 0 && _heap[0].DueMs <= now)
            {
                var due = _heap[0];
                RemoveAt(0);
                due.Fired = true;
                due.Scheduler!.Commit(due.Ticket);
            }
            if (_count > 0)
            {
                _timer.Change(Math.Max(1, _heap[0].DueMs - now), Timeout.Infinite);
            }
        }
    }

    private void Push(DelayWaiter waiter)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        _heap[_count] = waiter;
        waiter.HeapIndex = _count;
        _count++;
        SiftUp(waiter.HeapIndex);
    }

    private void RemoveAt(int index)
    {
        var removed = _heap[index];
        removed.HeapIndex = -1;
        _count--;
        if (index == _count)
        {
            _heap[_count] = null!;
            return;
        }
        var last = _heap[_count];
        _heap[_count] = null!;
        _heap[index] = last;
        last.HeapIndex = index;
        SiftDown(index);
        SiftUp(last.HeapIndex);
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (_heap[parent].DueMs <= _heap[index].DueMs)
            {
                return;
            }
            Swap(index, parent);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            int smallest = index;
            int left = (2 * index) + 1;
            int right = left + 1;
            if (left < _count && _heap[left].DueMs < _heap[smallest].DueMs)
            {
                smallest = left;
            }
            if (right < _count && _heap[right].DueMs < _heap[smallest].DueMs)
            {
                smallest = right;
            }
            if (smallest == index)
            {
                return;
            }
            Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_heap[a], _heap[b]) = (_heap[b], _heap[a]);
        _heap[a].HeapIndex = a;
        _heap[b].HeapIndex = b;
    }
}
