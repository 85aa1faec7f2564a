using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit.Buckets;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// One global bucket (a rule, or a rule and a Distinct value) in this process. Tokens leased from Redis are spent
/// here with one compare-and-swap on a 64-bit word, (window &lt;&lt; 32) | exhausted bit | tokens, exactly like a
/// local bucket: the hot path touches nothing else. Only when the word has too few tokens for the current window
/// does a request queue (bounded) behind the bucket's single lease in flight; the queue and the lease flag are
/// guarded by a lock private to this bucket, taken only on that slow path.
/// </summary>
internal sealed class GlobalBucket
{
    private const long TokenMask = 0x7FFF_FFFF;
    private const long ExhaustedBit = 0x8000_0000;

    private readonly GlobalRule _rule;
    private readonly Lock _gate = new();
    private readonly List<Waiting> _waiting = [];
    private long _state;
    private long _redisLeft;

    // Response costs the leased tokens could not cover: (window << 32) | tokens, paid from the window's next lease.
    private long _debt;
    private bool _leasing;

    public GlobalBucket(GlobalRule rule, byte[] key, long nowTicks)
    {
        _rule = rule;
        Key = key;
        _redisLeft = rule.Requests;
        Fallback = new TokenBucket(rule.Requests, rule.WindowTicks, nowTicks);
    }

    /// <summary>Redis key without the window suffix: prefix, policy, rule and the Distinct value.</summary>
    public byte[] Key { get; }

    /// <summary>The local limit used while Redis fails and the rule fails open.</summary>
    public TokenBucket Fallback { get; }

    /// <summary>True while a lease is in flight or requests wait (the bucket must not be evicted).</summary>
    public bool IsBusy
    {
        get
        {
            lock (_gate)
            {
                return _leasing || _waiting.Count > 0;
            }
        }
    }

    /// <summary>Spends leased tokens of <paramref name="window"/> if there are enough.</summary>
    public GlobalCharge TryCharge(uint cost, long window)
    {
        uint needed = Math.Max(cost, 1u);
        while (true)
        {
            long state = Volatile.Read(ref _state);
            if ((state >>> 32) != window)
            {
                // Tokens of another window are worthless here: the new window starts with a lease.
                return new GlobalCharge(GlobalChargeKind.NeedLease, _rule.Requests);
            }
            long tokens = state & TokenMask;
            if (tokens < needed)
            {
                return (state & ExhaustedBit) != 0
                    ? new GlobalCharge(GlobalChargeKind.Limited, (uint)tokens)
                    : new GlobalCharge(GlobalChargeKind.NeedLease, Remaining(tokens));
            }
            if (cost == 0 || Interlocked.CompareExchange(ref _state, state - cost, state) == state)
            {
                return new GlobalCharge(GlobalChargeKind.Allowed, Remaining(tokens - cost));
            }
        }
    }

    /// <summary>
    /// Charges a response's extra cost: from the tokens leased for <paramref name="window"/> as far as they go, the
    /// rest as debt that the window's next lease pays first (Redis counts it then, for every replica). With a
    /// <paramref name="backend"/>, a debt starts that lease at once unless one is in flight. Debt of a window that
    /// ends unpaid is dropped, as the window's unspent tokens are.
    /// </summary>
    public void ChargeAfter(uint extra, long window, GlobalBackend? backend = null)
    {
        long shortfall = extra;
        while (shortfall > 0)
        {
            long state = Volatile.Read(ref _state);
            if ((state >>> 32) != window)
            {
                break;
            }
            long tokens = state & TokenMask;
            long spent = Math.Min(tokens, shortfall);
            if (spent == 0)
            {
                break;
            }
            if (Interlocked.CompareExchange(ref _state, state - spent, state) == state)
            {
                shortfall -= spent;
            }
        }
        while (shortfall > 0)
        {
            long debt = Volatile.Read(ref _debt);
            long owed = (debt >>> 32) == window ? debt & TokenMask : 0;
            long next = (window << 32) | Math.Min(_rule.Requests, owed + shortfall);
            if (Interlocked.CompareExchange(ref _debt, next, debt) == debt)
            {
                break;
            }
        }
        if (shortfall > 0 && backend is not null && backend.Connection.IsUsable)
        {
            lock (_gate)
            {
                if (!_leasing)
                {
                    _leasing = true;
                    _ = LeaseAsync(backend, window, backend.Connection.Timeout);
                }
            }
        }
    }

    /// <summary>Debt owed for <paramref name="window"/> (tests, diagnostics).</summary>
    internal long DebtOf(long window)
    {
        long debt = Volatile.Read(ref _debt);
        return (debt >>> 32) == window ? debt & TokenMask : 0;
    }

    // Holds _gate. Takes what is owed for `window` out of a lease's grant; returns what is left of the grant.
    private long PayDebt(long window, long granted)
    {
        while (true)
        {
            long debt = Volatile.Read(ref _debt);
            long owed = (debt >>> 32) == window ? debt & TokenMask : 0;
            long paid = Math.Min(owed, granted);
            if (paid == 0)
            {
                return granted;
            }
            if (Interlocked.CompareExchange(ref _debt, (window << 32) | (owed - paid), debt) == debt)
            {
                return granted - paid;
            }
        }
    }

    /// <summary>Tokens to report after a lease served a waiting request.</summary>
    public uint RemainingNow(long window)
    {
        long state = Volatile.Read(ref _state);
        return (state >>> 32) == window ? Remaining(state & TokenMask) : _rule.Requests;
    }

    private uint Remaining(long localTokens) =>
        (uint)Math.Min(_rule.Requests, localTokens + Volatile.Read(ref _redisLeft));

    /// <summary>
    /// Queues a request that found too few tokens and starts the lease unless one is in flight. False when the
    /// queue is full or Redis is not connected: the caller applies the failure mode at once.
    /// </summary>
    public bool TryWait(GlobalBackend backend, LeaseWaiter waiter, ulong ticket, Scheduler scheduler, uint cost,
        long window, long nowMs)
    {
        var connection = backend.Connection;
        if (!connection.IsUsable)
        {
            return false;
        }
        lock (_gate)
        {
            if (_waiting.Count >= backend.MaxWaiting)
            {
                return false;
            }
            _waiting.Add(new Waiting(waiter, ticket, scheduler, Math.Max(cost, 1u), nowMs + (long)connection.Timeout.TotalMilliseconds));
            if (!_leasing)
            {
                _leasing = true;
                _ = LeaseAsync(backend, window, connection.Timeout);
            }
        }
        return true;
    }

    /// <summary>Takes a stream that ends while waiting out of the queue (its tokens, if granted, stay here).</summary>
    public void Cancel(LeaseWaiter waiter, ulong ticket)
    {
        lock (_gate)
        {
            int index = _waiting.FindIndex(w => w.Waiter == waiter && w.Ticket == ticket);
            if (index >= 0)
            {
                _waiting.RemoveAt(index);
            }
        }
    }

    private async Task LeaseAsync(GlobalBackend backend, long window, TimeSpan timeout)
    {
        long needed;
        lock (_gate)
        {
            needed = 0;
            foreach (var w in _waiting)
            {
                needed += w.Cost;
            }
        }
        // What is owed is taken first from the grant, so the lease asks for it on top of what the waiters need.
        needed = Math.Min(needed + DebtOf(window), _rule.Requests);
        long wanted = Math.Max(needed, backend.Batch);
        long windowEndMs = (window + 1) * _rule.WindowMs;
        long ttlMs = Math.Max(1, windowEndMs - _rule.NowUnixMs()) + GlobalRule.ExpirySlackMs;
        var key = GlobalRule.RedisKey(backend.KeyPrefix, Key, window);
        var reply = await backend.Connection.LeaseAsync(key, _rule.Requests, wanted, needed, ttlMs, timeout).ConfigureAwait(false);
        lock (_gate)
        {
            Finish(backend, window, reply);
        }
    }

    // Holds _gate. Serves the waiters in order from the grant, keeps the rest for the next requests.
    private void Finish(GlobalBackend backend, long window, LeaseReply reply)
    {
        if (!reply.Answered)
        {
            foreach (var w in _waiting)
            {
                w.Waiter.Complete(w.Ticket, LeaseOutcome.Failed, w.Scheduler);
            }
            _waiting.Clear();
            _leasing = false;
            return;
        }
        bool exhausted = reply.Left <= 0;
        long tokens = PayDebt(window, reply.Granted);
        int served = 0;
        for (; served < _waiting.Count; served++)
        {
            var w = _waiting[served];
            if (tokens >= w.Cost)
            {
                tokens -= w.Cost;
                w.Waiter.Complete(w.Ticket, LeaseOutcome.Charged, w.Scheduler);
            }
            else if (exhausted)
            {
                w.Waiter.Complete(w.Ticket, LeaseOutcome.Limited, w.Scheduler);
            }
            else
            {
                break;
            }
        }
        _waiting.RemoveRange(0, served);
        Volatile.Write(ref _redisLeft, reply.Left);
        Publish(window, tokens, exhausted);
        if (_waiting.Count == 0)
        {
            _leasing = false;
            return;
        }
        // Requests that arrived during the lease and did not fit: lease again, but never past their deadline.
        long now = _rule.NowUnixMs();
        long earliest = _waiting.Min(w => w.DeadlineMs);
        if (earliest <= now)
        {
            foreach (var w in _waiting)
            {
                w.Waiter.Complete(w.Ticket, LeaseOutcome.Failed, w.Scheduler);
            }
            _waiting.Clear();
            _leasing = false;
            return;
        }
        var timeout = TimeSpan.FromMilliseconds(Math.Min(earliest - now, backend.Connection.Timeout.TotalMilliseconds));
        _ = LeaseAsync(backend, _rule.WindowOf(now), timeout);
    }

    /// <summary>Adds leased tokens for <paramref name="window"/> (a lease's remainder; benchmarks seed buckets with it).</summary>
    internal void Publish(long window, long tokens, bool exhausted)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long current = state >>> 32;
            if (current > window)
            {
                return;
            }
            long kept = current == window ? state & TokenMask : 0;
            long flags = (current == window ? state & ExhaustedBit : 0) | (exhausted ? ExhaustedBit : 0);
            long next = (window << 32) | flags | Math.Min(TokenMask, kept + tokens);
            if (Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                return;
            }
        }
    }

    private readonly record struct Waiting(LeaseWaiter Waiter, ulong Ticket, Scheduler Scheduler, uint Cost, long DeadlineMs);
}
