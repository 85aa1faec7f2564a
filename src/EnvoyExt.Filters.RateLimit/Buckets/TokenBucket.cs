namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// A fixed-window token bucket shared by every worker: <c>capacity</c> tokens, refilled to full at the start
/// of each window, windows aligned to the bucket's creation (Envoy local_ratelimit with
/// max_tokens = tokens_per_fill). The whole state is one 64-bit word, (window number &lt;&lt; 32) | tokens used,
/// so a charge is a single compare-and-swap: no lock, no timer, and exactly <c>capacity</c> grants per
/// window however many threads race.
/// </summary>
internal sealed class TokenBucket
{
    private const long ConsumedMask = 0xFFFF_FFFF;

    private readonly long _createdTicks;
    private readonly long _windowTicks;
    private readonly uint _capacity;

    // No cache-line padding: the CLR reorders fields, so padding fields would not reliably isolate _state,
    // and buckets are allocated at config time between other objects (rules, selectors) anyway.
    private long _state;

    public TokenBucket(uint capacity, long windowTicks, long createdTicks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowTicks);
        _capacity = capacity;
        _windowTicks = windowTicks;
        _createdTicks = createdTicks;
    }

    public uint Capacity => _capacity;

    /// <summary>
    /// Takes <paramref name="cost"/> tokens if they are all there. A cost of 0 only checks that at least one
    /// token is left (the contract's "check without consuming").
    /// </summary>
    public ChargeResult TryCharge(uint cost, long nowTicks)
    {
        uint needed = Math.Max(cost, 1u);
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long window = (long)((ulong)state >> 32);
            long consumed = state & ConsumedMask;
            long windowEnd = _createdTicks + ((window + 1) * _windowTicks);
            if (nowTicks >= windowEnd)
            {
                // The stored window is over: move to the one containing now, full again. (A clock read older
                // than the stored window simply joins it: rolling back would hand out a window twice.)
                window = Math.Max(0, nowTicks - _createdTicks) / _windowTicks;
                windowEnd = _createdTicks + ((window + 1) * _windowTicks);
                consumed = 0;
            }
            uint remaining = (uint)(_capacity - consumed);
            long untilReset = windowEnd - nowTicks;
            if (remaining < needed)
            {
                return new ChargeResult(false, remaining, untilReset);
            }
            if (cost == 0)
            {
                return new ChargeResult(true, remaining, untilReset);
            }
            long next = (window << 32) | (consumed + cost);
            if (Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                return new ChargeResult(true, remaining - cost, untilReset);
            }
        }
    }

    /// <summary>Tokens left at <paramref name="nowTicks"/> without charging (tests, diagnostics).</summary>
    public uint Peek(long nowTicks)
    {
        long state = Volatile.Read(ref _state);
        long window = Math.Max(0, nowTicks - _createdTicks) / _windowTicks;
        long stateWindow = (long)((ulong)state >> 32);
        return stateWindow >= window ? (uint)(_capacity - (state & ConsumedMask)) : _capacity;
    }
}
