using System.Collections.Concurrent;

namespace EnvoyExt.Filters.RateLimit.Buckets;

/// <summary>
/// One token bucket per distinct value (header, query parameter, client IP), at most <c>capacity</c> of them.
/// Reads are lock-free and allocation-free (ConcurrentDictionary looked up by span); only creating a bucket
/// for a new value takes a lock that is private to this rule. Eviction is CLOCK (second chance), an LRU
/// approximation with O(1) amortised cost: a bucket used since the hand last passed survives one more round.
/// </summary>
internal sealed class DistinctBucketTable
{
    private readonly ConcurrentDictionary<byte[], Entry> _map;
    private readonly ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
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
        _map = new ConcurrentDictionary<byte[], Entry>(ByteKeyComparer.Instance);
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<byte>>();
        _slots = new Entry?[maxBuckets];
        _bucketCapacity = bucketCapacity;
        _windowTicks = windowTicks;
    }

    public int Count => _map.Count;

    public int MaxBuckets => _slots.Length;

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Whether <paramref name="key"/> has a bucket, without touching its recency (tests, diagnostics).</summary>
    public bool Contains(ReadOnlySpan<byte> key) => _lookup.ContainsKey(key);

    /// <summary>
    /// The bucket of <paramref name="key"/>, created (window starting now) if new. <paramref name="evicted"/>
    /// is true when making room pushed out another value's bucket.
    /// </summary>
    public TokenBucket GetOrAdd(ReadOnlySpan<byte> key, long nowTicks, out bool evicted)
    {
        evicted = false;
        if (_lookup.TryGetValue(key, out var entry))
        {
            // Write only when the bit changes so a hot key does not bounce its cache line between workers.
            if (!entry.Referenced)
            {
                entry.Referenced = true;
            }
            return entry.Bucket;
        }
        return Insert(key, nowTicks, out evicted);
    }

    private TokenBucket Insert(ReadOnlySpan<byte> key, long nowTicks, out bool evicted)
    {
        evicted = false;
        lock (_insertLock)
        {
            if (_lookup.TryGetValue(key, out var raced))
            {
                return raced.Bucket;
            }
            int slot;
            if (_used < _slots.Length)
            {
                slot = _used++;
            }
            else
            {
                slot = AdvanceHandToVictim();
                var victim = _slots[slot]!;
                _map.TryRemove(victim.Key, out _);
                Interlocked.Increment(ref _evictions);
                evicted = true;
            }
            // A worker that already holds the victim's bucket may still charge it once: harmless, it is
            // simply forgotten afterwards.
            var entry = new Entry(key.ToArray(), new TokenBucket(_bucketCapacity, _windowTicks, nowTicks));
            _slots[slot] = entry;
            _map[entry.Key] = entry;
            return entry.Bucket;
        }
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

    private sealed class Entry(byte[] key, TokenBucket bucket)
    {
        public readonly byte[] Key = key;
        public readonly TokenBucket Bucket = bucket;
        public volatile bool Referenced = true;
    }
}
