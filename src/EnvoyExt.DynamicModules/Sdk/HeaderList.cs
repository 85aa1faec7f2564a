using System.Buffers.Binary;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Headers to send (local responses, callouts), written into caller-provided storage, usually
/// <c>stackalloc</c>, so building them allocates nothing. Each entry is copied in, which is why values
/// formatted into short-lived stack buffers are fine. A <c>Span&lt;HeaderPair&gt;</c> is impossible
/// (ref structs cannot be span elements), hence this builder.
/// </summary>
/// <example><code>
/// var headers = new HeaderList(stackalloc byte[256]);
/// headers.Add("x-envoy-ratelimited"u8, "true"u8);
/// ctx.SendLocalResponse(429, headers, "slow down"u8, "rate_limited"u8);
/// </code></example>
public ref struct HeaderList
{
    private const int EntryHeaderSize = 4; // u16 key length + u16 value length
    private readonly Span<byte> _storage;
    private int _used;

    /// <summary>An empty list writing into <paramref name="storage"/> (4 bytes of overhead per entry).</summary>
    /// <param name="storage">Caller-owned bytes, e.g. <c>stackalloc byte[256]</c>.</param>
    public HeaderList(Span<byte> storage)
    {
        _storage = storage;
        _used = 0;
        Count = 0;
    }

    /// <summary>Entries added so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Appends a header. False (nothing added) when the key is empty, the key or value contains CR, LF or
    /// NUL, or the storage is full.
    /// </summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">Header value.</param>
    /// <returns>True when added.</returns>
    public bool Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!HeaderValidation.IsValidKey(key) || !HeaderValidation.IsValidValue(value) ||
            key.Length > ushort.MaxValue || value.Length > ushort.MaxValue)
        {
            return false;
        }
        var need = EntryHeaderSize + key.Length + value.Length;
        if (_storage.Length - _used < need)
        {
            return false;
        }
        var entry = _storage.Slice(_used, need);
        BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)key.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)value.Length);
        key.CopyTo(entry[EntryHeaderSize..]);
        value.CopyTo(entry[(EntryHeaderSize + key.Length)..]);
        _used += need;
        Count++;
        return true;
    }

    /// <summary>Reads entry <paramref name="index"/> back (linear; lists are short).</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public readonly HeaderPair this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var offset = 0;
            for (var i = 0; ; i++)
            {
                var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(_storage[offset..]);
                var valueLength = BinaryPrimitives.ReadUInt16LittleEndian(_storage[(offset + 2)..]);
                if (i == index)
                {
                    var key = _storage.Slice(offset + EntryHeaderSize, keyLength);
                    var value = _storage.Slice(offset + EntryHeaderSize + keyLength, valueLength);
                    return new HeaderPair(key, value);
                }
                offset += EntryHeaderSize + keyLength + valueLength;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> (length &gt;= Count) with pointers into the storage. The caller
    /// must keep the storage pinned while Envoy reads the array.
    /// </summary>
    internal readonly unsafe void Fill(ModuleHttpHeader* destination, byte* pinnedStorage)
    {
        var offset = 0;
        for (var i = 0; i < Count; i++)
        {
            var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(_storage[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16LittleEndian(_storage[(offset + 2)..]);
            destination[i].KeyPtr = pinnedStorage + offset + EntryHeaderSize;
            destination[i].KeyLength = keyLength;
            destination[i].ValuePtr = pinnedStorage + offset + EntryHeaderSize + keyLength;
            destination[i].ValueLength = valueLength;
            offset += EntryHeaderSize + keyLength + valueLength;
        }
    }

    internal readonly Span<byte> Storage => _storage;
}
