using System.Numerics;

namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// One token bucket per distinct value (header, query parameter, client IP), at most <c>capacity</c> of them.
/// A chained hash index whose entries never change once published, so a lookup is a hash, an array read and
/// a walk that takes no lock, writes nothing shared (except a recency bit when it flips) and allocates nothing.
/// Creating a bucket for a new value takes a lock that is private to this rule. Eviction is CLOCK (second
/// chance), an LRU approximation with O(1) amortised cost: a bucket used since the hand last passed survives
/// one more round.
/// </summary>
internal sealed class DistinctBucketTable
{
    // Chain heads, at least one per bucket (load factor <= 1): chains average about one entry when full.
    private readonly Entry?[] _index;
    private readonly int _indexMask;
    private readonly Entry?[] _slots;
    private readonly Lock _insertLock = new();
    private readonly uint _bucketCapacity;
    private readonly long _windowTicks;
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
    }

    public int Count => Volatile.Read(ref _used);

    public int MaxBuckets => _slots.Length;

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Whether <paramref name="key"/> has a bucket, without touching its recency (tests, diagnostics).</summary>
    public bool Contains(ReadOnlySpan<byte> key) => Find(key, Hash(key)) is not null;

    /// <summary>
    /// The bucket of <paramref name="key"/>, created (window starting now) if new. <paramref name="evicted"/>
    /// is true when making room pushed out another value's bucket.
    /// </summary>
    public TokenBucket GetOrAdd(ReadOnlySpan<byte> key, long nowTicks, out bool evicted)
    {
        evicted = false;
        int hash = Hash(key);
        if (Find(key, hash) is { } entry)
        {
            // Write only when the bit changes so a hot key does not bounce its cache line between workers.
            if (!entry.Referenced)
            {
                entry.Referenced = true;
            }
            return entry.Bucket;
        }
        return Insert(key, hash, nowTicks, out evicted);
    }

    /// <summary>Seeded per process (HashCode), which blunts hash flooding by clients choosing Distinct values.</summary>
    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private Entry? Find(ReadOnlySpan<byte> key, int hash)
    {
        for (var entry = Volatile.Read(ref _index[hash & _indexMask]); entry is not null; entry = Volatile.Read(ref entry.Next))
        {
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                return entry;
            }
        }
        return null;
    }

    private TokenBucket Insert(ReadOnlySpan<byte> key, int hash, long nowTicks, out bool evicted)
    {
        evicted = false;
        lock (_insertLock)
        {
            if (Find(key, hash) is { } raced)
            {
                return raced.Bucket;
            }
            int slot;
            if (_used < _slots.Length)
            {
                slot = _used;
                Volatile.Write(ref _used, _used + 1);
            }
            else
            {
                slot = AdvanceHandToVictim();
                Unlink(_slots[slot]!);
                Interlocked.Increment(ref _evictions);
                evicted = true;
            }
            // A worker that already holds the victim's bucket may still charge it once: harmless, it is
            // simply forgotten afterwards.
            ref var head = ref _index[hash & _indexMask];
            var entry = new Entry(key.ToArray(), hash, new TokenBucket(_bucketCapacity, _windowTicks, nowTicks), head);
            _slots[slot] = entry;
            Volatile.Write(ref head, entry);
            return entry.Bucket;
        }
    }

    /// <summary>
    /// Takes <paramref name="victim"/> out of its chain (insert lock held). Its own Next is left as it is, so a
    /// reader standing on it still reaches the rest of the chain; entries are never reused, so chains stay
    /// acyclic.
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

    private sealed class Entry(byte[] key, int hash, TokenBucket bucket, Entry? next)
    {
        public readonly byte[] Key = key;
        public readonly int Hash = hash;
        public readonly TokenBucket Bucket = bucket;
        // Read with Volatile.Read: a writer unlinks or prepends while readers walk.
        public Entry? Next = next;
        public volatile bool Referenced = true;
    }
}
