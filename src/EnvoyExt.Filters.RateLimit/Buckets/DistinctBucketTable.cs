using System.Numerics;
using System.Runtime.CompilerServices;

namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// One token bucket per distinct value (header, query parameter, client IP), at most <c>capacity</c> of them.
/// A chained hash index read without a lock: a lookup is a hash, an array read and a short walk that writes
/// nothing shared (except a recency bit when it flips) and allocates nothing. Adding a value takes a lock
/// private to this rule. Eviction is CLOCK (second chance), an LRU approximation with O(1) amortised cost: a
/// bucket used since the hand last passed survives one more round. Once the table is full, an evicted
/// value's entry, key buffer and bucket are given to the new value, so churn allocates nothing.
/// </summary>
/// <remarks>
/// Reuse means a reader may hold an entry that is being given to another value. Each entry carries a
/// version, odd while the writer changes it: a reader checks it after comparing the key and again after
/// each read of the bucket's state (<see cref="EntryGuard"/>), and a charge only commits with a CAS on a
/// state word that a restart has made unreachable (<see cref="TokenBucket.TryRestart"/>). So a charge lands
/// on the bucket of the value it was made for, or retries under the lock.
/// </remarks>
internal sealed class DistinctBucketTable
{
    private const int MinKeyBuffer = 32;

    // Chain heads, at least one per bucket (load factor <= 1): chains average about one entry when full.
    private readonly Entry?[] _index;
    private readonly int _indexMask;
    private readonly Entry?[] _slots;
    private readonly Lock _insertLock = new();
    private readonly uint _bucketCapacity;
    private readonly long _windowTicks;
    private readonly long _maxRestartWindow;
    private int _used;
    private int _hand;
    private long _evictions;

    public DistinctBucketTable(int maxBuckets, uint bucketCapacity, long windowTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBuckets);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBuckets, 1 << 30);
        _index = new Entry?[BitOperations.RoundUpToPowerOf2((uint)maxBuckets)];
        _indexMask = _index.Length - 1;
        _slots = new Entry?[maxBuckets];
        _bucketCapacity = bucketCapacity;
        _windowTicks = windowTicks;
        _maxRestartWindow = TokenBucket.MaxRestartWindow(windowTicks);
    }

    public int Count => Volatile.Read(ref _used);

    public int MaxBuckets => _slots.Length;

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Whether <paramref name="key"/> has a bucket, without touching its recency (tests, diagnostics).</summary>
    public bool Contains(ReadOnlySpan<byte> key) => Find(key, Hash(key), out _) is not null;

    /// <summary>
    /// Charges the bucket of <paramref name="key"/> (<see cref="TokenBucket.TryCharge(uint, long)"/>), creating
    /// it, its window starting now, if the value is new. <paramref name="evicted"/> is true when making room
    /// pushed out another value's bucket.
    /// </summary>
    public ChargeResult Charge(ReadOnlySpan<byte> key, uint cost, long nowTicks, out bool evicted) =>
        Charge(key, cost, nowTicks, out evicted, out _);

    /// <summary>
    /// As above, and <paramref name="charged"/> is the entry charged, with the version it had then: what a later
    /// <see cref="ChargeAfter"/> for the same request uses (nothing lands on it once it belongs to another value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ChargeResult Charge(ReadOnlySpan<byte> key, uint cost, long nowTicks, out bool evicted, out Found charged)
    {
        evicted = false;
        int hash = Hash(key);
        charged = Lookup(key, hash);
        if (charged.Entry is not null && TryCharge(charged, cost, nowTicks, out var result))
        {
            return result;
        }
        return ChargeLocked(key, hash, cost, nowTicks, out evicted, out charged);
    }

    /// <summary>The lock-free half of <see cref="Charge"/>: the entry of <paramref name="key"/> as it is now, or none.</summary>
    internal Found Lookup(ReadOnlySpan<byte> key, int hash)
    {
        var entry = Find(key, hash, out int version);
        if (entry is not null && !entry.Referenced)
        {
            // Write only when the bit changes so a hot key does not bounce its cache line between workers.
            entry.Referenced = true;
        }
        return new Found(entry, version);
    }

    /// <summary>
    /// Charges a looked-up entry; false (nothing charged) when it was given to another value since the lookup.
    /// </summary>
    internal static bool TryCharge(Found found, uint cost, long nowTicks, out ChargeResult result) =>
        found.Entry!.Bucket.TryCharge(cost, nowTicks, new EntryGuard(found.Entry, found.Version), out result);

    /// <summary>
    /// Charges a response's extra cost to a looked-up entry (<see cref="TokenBucket.ChargeAfter(uint, long)"/>);
    /// nothing when the entry was given to another value since the lookup.
    /// </summary>
    internal static void ChargeAfter(Found found, uint extra, long nowTicks) =>
        found.Entry!.Bucket.ChargeAfter(extra, nowTicks, new EntryGuard(found.Entry, found.Version));

    /// <summary>Seeded per process (HashCode), which blunts hash flooding by clients choosing Distinct values.</summary>
    internal static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private Entry? Find(ReadOnlySpan<byte> key, int hash, out int version)
    {
        // A reader standing on an entry that is moved to another chain follows that chain instead; the step
        // bound keeps such a walk finite whatever the writer does (a miss then goes to the locked path).
        int steps = _slots.Length;
        for (var entry = Volatile.Read(ref _index[hash & _indexMask]); entry is not null && steps-- > 0; entry = Volatile.Read(ref entry.Next))
        {
            int seen = Volatile.Read(ref entry.Version);
            if ((seen & 1) == 0 && entry.Hash == hash && entry.KeyEquals(key))
            {
                // The key bytes must be read before the version is read again.
                Volatile.ReadBarrier();
                if (Volatile.Read(ref entry.Version) == seen)
                {
                    version = seen;
                    return entry;
                }
            }
        }
        version = 0;
        return null;
    }

    private ChargeResult ChargeLocked(ReadOnlySpan<byte> key, int hash, uint cost, long nowTicks, out bool evicted, out Found charged)
    {
        evicted = false;
        lock (_insertLock)
        {
            // Entries only change under this lock, so what is found here stays this value's while we charge.
            var entry = Find(key, hash, out _) ?? Add(key, hash, nowTicks, out evicted);
            charged = new Found(entry, entry.Version);
            return entry.Bucket.TryCharge(cost, nowTicks);
        }
    }

    private Entry Add(ReadOnlySpan<byte> key, int hash, long nowTicks, out bool evicted)
    {
        if (_used < _slots.Length)
        {
            evicted = false;
            var fresh = new Entry(KeyBuffer(key), key.Length, hash, new TokenBucket(_bucketCapacity, _windowTicks, nowTicks));
            _slots[_used] = fresh;
            Link(fresh);
            Volatile.Write(ref _used, _used + 1);
            return fresh;
        }
        int slot = AdvanceHandToVictim();
        var victim = _slots[slot]!;
        Unlink(victim);
        Interlocked.Increment(ref _evictions);
        evicted = true;
        // Odd from here: readers that compare the victim's key, or charge it, back off. Interlocked is a full
        // fence, so no change below becomes visible before this.
        Interlocked.Increment(ref victim.Version);
        if (!victim.Bucket.TryRestart(nowTicks, _maxRestartWindow))
        {
            // The window number would overflow (after some million reuses of this entry): give the slot a new
            // entry. The old one stays odd, so whoever still holds it retries.
            var replacement = new Entry(KeyBuffer(key), key.Length, hash, new TokenBucket(_bucketCapacity, _windowTicks, nowTicks));
            _slots[slot] = replacement;
            Link(replacement);
            return replacement;
        }
        if (victim.Key.Length < key.Length)
        {
            victim.Key = KeyBuffer(key);
        }
        else
        {
            key.CopyTo(victim.Key);
        }
        victim.KeyLength = key.Length;
        victim.Hash = hash;
        victim.Referenced = true;
        Link(victim);
        Volatile.Write(ref victim.Version, victim.Version + 1);
        return victim;
    }

    /// <summary>A key buffer with room to spare, so reusing the entry for a slightly longer key does not allocate.</summary>
    private static byte[] KeyBuffer(ReadOnlySpan<byte> key)
    {
        var buffer = new byte[Math.Max(MinKeyBuffer, (int)BitOperations.RoundUpToPowerOf2((uint)key.Length))];
        key.CopyTo(buffer);
        return buffer;
    }

    private void Link(Entry entry)
    {
        ref var head = ref _index[entry.Hash & _indexMask];
        entry.Next = head;
        Volatile.Write(ref head, entry);
    }

    /// <summary>
    /// Takes <paramref name="victim"/> out of its chain (insert lock held). Its own Next is left as it is, so a
    /// reader standing on it still reaches the rest of the chain.
    /// </summary>
    private void Unlink(Entry victim)
    {
        ref var link = ref _index[victim.Hash & _indexMask];
        while (link != victim)
        {
            link = ref link!.Next;
        }
        Volatile.Write(ref link, Volatile.Read(ref victim.Next));
    }

    private int AdvanceHandToVictim()
    {
        while (true)
        {
            int slot = _hand;
            _hand = slot + 1 == _slots.Length ? 0 : slot + 1;
            var candidate = _slots[slot]!;
            if (!candidate.Referenced)
            {
                return slot;
            }
            candidate.Referenced = false;
        }
    }

    /// <summary>An entry as a lookup saw it: the version it had while its key matched.</summary>
    internal readonly record struct Found(Entry? Entry, int Version);

    internal sealed class Entry(byte[] key, int keyLength, int hash, TokenBucket bucket)
    {
        public readonly TokenBucket Bucket = bucket;

        // Key, KeyLength, Hash and Next change only under the insert lock while Version is odd.
        public byte[] Key = key;
        public int KeyLength = keyLength;
        public int Hash = hash;
        public Entry? Next;
        public int Version;
        public volatile bool Referenced = true;

        /// <summary>Compares without trusting a torn (Key, KeyLength) pair: a mismatch there is just a miss.</summary>
        public bool KeyEquals(ReadOnlySpan<byte> key)
        {
            var bytes = Key;
            int length = KeyLength;
            return length == key.Length && (uint)length <= (uint)bytes.Length && key.SequenceEqual(bytes.AsSpan(0, length));
        }
    }

    /// <summary>Holds while the entry has the version the lookup saw, i.e. still belongs to the looked-up value.</summary>
    private readonly struct EntryGuard(Entry entry, int version) : IChargeGuard
    {
        public bool StillHeld => Volatile.Read(ref entry.Version) == version;
    }
}
