using System.Runtime.CompilerServices;
namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// A fixed-window token bucket shared by every worker: <c>capacity</c> tokens, refilled to full at the start
/// of each window, windows aligned to the bucket's creation (Envoy local_ratelimit with
/// max_tokens = tokens_per_fill). The whole state is one 64-bit word, (window number &lt;&lt; 32) | tokens used,
/// so a charge is a single compare-and-swap: no lock, no timer, and exactly <c>capacity</c> grants per
/// window however many threads race.
/// </summary>
/// <remarks>
/// A Distinct table gives an evicted value's bucket to a new value (<see cref="TryRestart"/>) instead of
/// allocating one. The window number never goes back, even across a restart, so a word read before the
/// restart can never be current again: a charge that read it fails its CAS and cannot land on the new
/// value's window. The table's <see cref="IChargeGuard"/> covers the step before (the read itself).
/// </remarks>
internal sealed class TokenBucket
{
    private const long ConsumedMask = 0xFFFF_FFFF;

    private readonly long _windowTicks;
    private readonly uint _capacity;

    // Changes only in TryRestart, before the state word that goes with it is published.
    private long _createdTicks;

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ChargeResult TryCharge(uint cost, long nowTicks)
    {
        TryCharge(cost, nowTicks, default(UnguardedCharge), out var result);
        return result;
    }

    /// <summary>
    /// <see cref="TryCharge(uint, long)"/> for a caller whose right to this bucket can be withdrawn (a Distinct
    /// entry given to another value): <paramref name="guard"/> is asked after each read of the state and
    /// before it is acted on. False (nothing charged) when the guard says the bucket is no longer the caller's.
    /// </summary>
    public bool TryCharge<TGuard>(uint cost, long nowTicks, in TGuard guard, out ChargeResult result)
        where TGuard : struct, IChargeGuard
    {
        uint needed = Math.Max(cost, 1u);
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long created = Volatile.Read(ref _createdTicks);
            if (!guard.StillHeld)
            {
                result = default;
                return false;
            }
            long window = (long)((ulong)state >> 32);
            long consumed = state & ConsumedMask;
            long windowEnd = created + ((window + 1) * _windowTicks);
            if (nowTicks >= windowEnd)
            {
                // The stored window is over: move to the one containing now, full again. (A clock read older
                // than the stored window simply joins it: rolling back would hand out a window twice.)
                window = Math.Max(0, nowTicks - created) / _windowTicks;
                windowEnd = created + ((window + 1) * _windowTicks);
                consumed = 0;
            }
            uint remaining = (uint)(_capacity - consumed);
            long untilReset = windowEnd - nowTicks;
            if (remaining < needed)
            {
                result = new ChargeResult(false, remaining, untilReset);
                return true;
            }
            if (cost == 0)
            {
                result = new ChargeResult(true, remaining, untilReset);
                return true;
            }
            long next = (window << 32) | (consumed + cost);
            if (Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                result = new ChargeResult(true, remaining - cost, untilReset);
                return true;
            }
        }
    }

    /// <summary>
    /// Charges <paramref name="extra"/> tokens after the fact (a cost known from the response) to the window
    /// containing <paramref name="nowTicks"/>, whether or not they are there: the bucket may run dry, which
    /// refuses requests until the window ends (the next window starts full, so the debt ends with it).
    /// </summary>
    public void ChargeAfter(uint extra, long nowTicks) => ChargeAfter(extra, nowTicks, default(UnguardedCharge));

    /// <summary><see cref="ChargeAfter(uint, long)"/> for a bucket that may be given to another owner meanwhile (nothing charged then).</summary>
    public void ChargeAfter<TGuard>(uint extra, long nowTicks, in TGuard guard)
        where TGuard : struct, IChargeGuard
    {
        if (extra == 0)
        {
            return;
        }
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long created = Volatile.Read(ref _createdTicks);
            if (!guard.StillHeld)
            {
                return;
            }
            long window = (long)((ulong)state >> 32);
            long consumed = state & ConsumedMask;
            if (nowTicks >= created + ((window + 1) * _windowTicks))
            {
                window = Math.Max(0, nowTicks - created) / _windowTicks;
                consumed = 0;
            }
            // Capped at the capacity: an empty bucket refuses the same requests however deep the debt.
            long next = (window << 32) | Math.Min(_capacity, consumed + extra);
            if (next == state || Interlocked.CompareExchange(ref _state, next, state) == state)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Starts the bucket over for a new owner: full, its window starting at <paramref name="nowTicks"/>. The
    /// window number continues from the stored one (plus one), which is what keeps an old owner's in-flight
    /// charge from landing; false, and nothing changed, when that number would pass
    /// <paramref name="maxWindow"/> (the caller then makes a new bucket).
    /// </summary>
    public bool TryRestart(long nowTicks, long maxWindow)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long window = (long)((ulong)state >> 32) + 1;
            if (window > maxWindow)
            {
                return false;
            }
            // Windows of the new owner: [now + k * length, ...) numbered from `window`. Written before the
            // state word (the CAS is a full fence), so whoever reads the new word reads this too.
            Volatile.Write(ref _createdTicks, nowTicks - (window * _windowTicks));
            if (Interlocked.CompareExchange(ref _state, window << 32, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>The highest window number <see cref="TryRestart"/> may reach with this window length.</summary>
    public static long MaxRestartWindow(long windowTicks) => Math.Min(int.MaxValue, (long.MaxValue / 4) / windowTicks);

    /// <summary>Tokens left at <paramref name="nowTicks"/> without charging (tests, diagnostics).</summary>
    public uint Peek(long nowTicks)
    {
        long state = Volatile.Read(ref _state);
        long created = Volatile.Read(ref _createdTicks);
        long window = Math.Max(0, nowTicks - created) / _windowTicks;
        long stateWindow = (long)((ulong)state >> 32);
        return stateWindow >= window ? (uint)(_capacity - (state & ConsumedMask)) : _capacity;
    }

    /// <summary>The guard of a bucket nobody can take away (shared buckets).</summary>
    private readonly struct UnguardedCharge : IChargeGuard
    {
        public bool StillHeld => true;
    }
}

/// <summary>Answers, during a charge, whether the bucket still belongs to the caller.</summary>
internal interface IChargeGuard
{
    bool StillHeld { get; }
}
