using System.Security.Cryptography;

namespace EnvoyExt.Filters.Auth;

/// <summary>
/// A bounded, direct-mapped cache of verified credentials for one worker (no locks: one worker reads and
/// writes it). The slot comes from the process-randomised <see cref="HashCode"/> of the key bytes (an
/// attacker cannot aim at a slot); a slot holds one key, and a new entry evicts whatever shared its
/// slot. A hit is a constant-time compare of the whole key and allocates nothing.
/// </summary>
/// <typeparam name="T">What a verified credential maps to.</typeparam>
internal sealed class VerifiedCache<T> where T : class
{
    private readonly byte[]?[] _keys;
    private readonly T?[] _values;
    private readonly int _mask;

    /// <param name="capacity">Entries (rounded up to a power of two); 0 disables the cache.</param>
    public VerifiedCache(int capacity)
    {
        var size = capacity <= 0 ? 0 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _keys = new byte[]?[size];
        _values = new T?[size];
        _mask = size - 1;
    }

    public bool TryGet(ReadOnlySpan<byte> key, out T? value)
    {
        value = null;
        if (_keys.Length == 0)
        {
            return false;
        }
        var slot = Slot(key);
        var stored = _keys[slot];
        if (stored is null || !CryptographicOperations.FixedTimeEquals(stored, key))
        {
            return false;
        }
        value = _values[slot];
        return true;
    }

    public void Add(ReadOnlySpan<byte> key, T value)
    {
        if (_keys.Length == 0)
        {
            return;
        }
        var slot = Slot(key);
        _values[slot] = value;
        _keys[slot] = key.ToArray();
    }

    private int Slot(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode() & _mask;
    }
}
