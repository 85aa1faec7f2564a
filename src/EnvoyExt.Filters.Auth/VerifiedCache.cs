using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EnvoyExt.Filters.Auth;

/// <summary>
/// A bounded, direct-mapped cache of verified credentials for one worker (no locks: one worker reads and
/// writes it). Keys are SHA-256 digests of the credential; a slot holds one digest, and a new entry
/// evicts whatever shared its slot. A hit is a constant-time digest compare and allocates nothing.
/// </summary>
/// <typeparam name="T">What a verified credential maps to.</typeparam>
internal sealed class VerifiedCache<T> where T : class
{
    private readonly byte[]?[] _digests;
    private readonly T?[] _values;
    private readonly int _mask;

    /// <param name="capacity">Entries (rounded up to a power of two); 0 disables the cache.</param>
    public VerifiedCache(int capacity)
    {
        var size = capacity <= 0 ? 0 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _digests = new byte[]?[size];
        _values = new T?[size];
        _mask = size - 1;
    }

    public bool TryGet(ReadOnlySpan<byte> digest, out T? value)
    {
        value = null;
        if (_digests.Length == 0)
        {
            return false;
        }
        var slot = Slot(digest);
        var stored = _digests[slot];
        if (stored is null || !CryptographicOperations.FixedTimeEquals(stored, digest))
        {
            return false;
        }
        value = _values[slot];
        return true;
    }

    public void Add(ReadOnlySpan<byte> digest, T value)
    {
        if (_digests.Length == 0)
        {
            return;
        }
        var slot = Slot(digest);
        _values[slot] = value;
        _digests[slot] = digest.ToArray();
    }

    private int Slot(ReadOnlySpan<byte> digest) => (int)(BinaryPrimitives.ReadUInt32LittleEndian(digest) & (uint)_mask);
}
