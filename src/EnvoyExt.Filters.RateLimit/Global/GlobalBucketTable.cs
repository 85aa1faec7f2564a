using System.Collections.Concurrent;

namespace EnvoyExt.Filters.RateLimit.Global;

/// <summary>
/// The global buckets of one rule's Distinct values, at most <c>capacity</c>. A hit is a lock-free lookup by
/// the key bytes (no allocation); a new value allocates its bucket and Redis key. When full, idle buckets are
/// dropped (their leased tokens are simply not spent: the accuracy bound covers it) and counted.
/// </summary>
internal sealed class GlobalBucketTable
{
    private readonly GlobalRule _rule;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<byte[], GlobalBucket> _buckets = new(ByteKeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], GlobalBucket>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Lock _evictGate = new();
    private int _count;
    private long _evictions;

    public GlobalBucketTable(GlobalRule rule, int capacity)
    {
        _rule = rule;
        _capacity = capacity;
        _lookup = _buckets.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => Volatile.Read(ref _count);

    public long Evictions => Interlocked.Read(ref _evictions);

    public GlobalBucket GetOrAdd(ReadOnlySpan<byte> key, long nowTicks, out bool evicted)
    {
        evicted = false;
        if (_lookup.TryGetValue(key, out var bucket))
        {
            return bucket;
        }
        if (Volatile.Read(ref _count) >= _capacity)
        {
            evicted = EvictIdle();
        }
        var full = new byte[_rule.KeyBase.Length + key.Length + 1];
        _rule.KeyBase.CopyTo(full, 0);
        key.CopyTo(full.AsSpan(_rule.KeyBase.Length));
        full[^1] = (byte)':';
        var created = new GlobalBucket(_rule, full, nowTicks);
        if (_buckets.TryAdd(key.ToArray(), created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }
        return _lookup.TryGetValue(key, out bucket) ? bucket : created;
    }

    // Drops about an eighth of the table, idle buckets only, so one eviction pays for many inserts.
    private bool EvictIdle()
    {
        lock (_evictGate)
        {
            if (Volatile.Read(ref _count) < _capacity)
            {
                return false;
            }
            int target = Math.Max(1, _capacity / 8);
            int removed = 0;
            foreach (var pair in _buckets)
            {
                if (removed >= target)
                {
                    break;
                }
                if (!pair.Value.IsBusy && _buckets.TryRemove(pair))
                {
                    removed++;
                    Interlocked.Decrement(ref _count);
                }
            }
            Interlocked.Add(ref _evictions, removed);
            return removed > 0;
        }
    }

    private sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> key)
        {
            var hash = new HashCode();
            hash.AddBytes(key);
            return hash.ToHashCode();
        }
    }
}
