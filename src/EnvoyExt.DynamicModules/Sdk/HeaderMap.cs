using System.Runtime.CompilerServices;
using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A view of one of the stream's header maps (request/response headers or trailers). Keys are
/// lower-case; values are bytes, not necessarily UTF-8. Values returned here die when the hook
/// returns or when any setter runs on the same map: copy what you keep.
/// </summary>
public readonly unsafe ref struct HeaderMap
{
    private readonly nint _envoy;
    private readonly int _type;

    internal HeaderMap(nint envoy, HttpHeaderType type)
    {
        _envoy = envoy;
        _type = (int)type;
    }

    /// <summary>The first value of <paramref name="key"/>.</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>False when absent.</returns>
    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value) => TryGet(key, 0, out value);

    /// <summary>The <paramref name="index"/>-th value of <paramref name="key"/> (repeated headers).</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="index">0 for the first value.</param>
    /// <param name="value">The value, or empty when absent.</param>
    /// <returns>False when there is no such value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ReadOnlySpan<byte> key, int index, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (index < 0)
        {
            return false;
        }
        EnvoyBuffer result = default;
        byte found;
        fixed (byte* k = key)
        {
            // No count asked for: Envoy answers false for an index past the last value, and counting is
            // a second walk of the map that a plain read does not need.
            found = LeafCallbacks.GetHeader(_envoy, _type, new ModuleBuffer(k, key.Length), &result, (nuint)index, null);
        }
        if (found == 0)
        {
            return false;
        }
        value = result.AsSpan();
        return true;
    }

    /// <summary>How many values <paramref name="key"/> has.</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <returns>0 when absent.</returns>
    public int Count(ReadOnlySpan<byte> key)
    {
        EnvoyBuffer result = default;
        nuint count = 0;
        fixed (byte* k = key)
        {
            LeafCallbacks.GetHeader(_envoy, _type, new ModuleBuffer(k, key.Length), &result, 0, &count);
        }
        return (int)count;
    }

    /// <summary>All entries, repeated keys counted separately; 0 when the map does not exist (yet).</summary>
    public int Size => (int)LeafCallbacks.GetHeadersSize(_envoy, _type);

    /// <summary>Replaces every value of <paramref name="key"/>. False for CR/LF/NUL or when Envoy refuses.</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">The new value (Envoy copies it).</param>
    /// <returns>True when set.</returns>
    public bool Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        return HeaderValidation.IsValidKey(key) && HeaderValidation.IsValidValue(value) && SetChecked(key, value);
    }

    /// <summary>Replaces every value of a pre-checked name. False for a value with CR/LF/NUL or when Envoy refuses.</summary>
    /// <param name="name">The header name, checked when it was created.</param>
    /// <param name="value">The new value (Envoy copies it).</param>
    /// <returns>True when set.</returns>
    public bool Set(HeaderName name, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return HeaderValidation.IsValidValue(value) && SetChecked(name.Bytes, value);
    }

    /// <summary>
    /// Replaces every value of a pre-checked name with the decimal digits of <paramref name="value"/>. Digits need
    /// no CR/LF/NUL scan, so this is one call into Envoy and nothing else (e.g. x-ratelimit-remaining).
    /// </summary>
    /// <param name="name">The header name, checked when it was created.</param>
    /// <param name="value">The number to write.</param>
    /// <returns>True when set.</returns>
    public bool Set(HeaderName name, ulong value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> digits = stackalloc byte[DecimalDigits.MaxLength];
        return SetChecked(name.Bytes, digits[..DecimalDigits.Write(value, digits)]);
    }

    /// <summary>
    /// Replaces every value of a pre-checked name with a pre-checked value: one call into Envoy and nothing
    /// else (e.g. x-ratelimit-limit, known per rule at config time).
    /// </summary>
    /// <param name="name">The header name, checked when it was created.</param>
    /// <param name="value">The value, checked when it was created.</param>
    /// <returns>True when set.</returns>
    public bool Set(HeaderName name, HeaderValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return SetChecked(name.Bytes, value.Bytes);
    }

    private bool SetChecked(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            // A NULL value pointer means "remove" to Envoy; an empty value must stay a real pointer.
            byte empty = 0;
            var valuePtr = v == null ? &empty : v;
            return LeafCallbacks.SetHeader(_envoy, _type, new ModuleBuffer(k, key.Length), new ModuleBuffer(valuePtr, value.Length)) != 0;
        }
    }

    /// <summary>Appends one more value of <paramref name="key"/>. False for CR/LF/NUL or when Envoy refuses.</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <param name="value">The value (Envoy copies it).</param>
    /// <returns>True when added.</returns>
    public bool Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!HeaderValidation.IsValidKey(key) || !HeaderValidation.IsValidValue(value))
        {
            return false;
        }
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            byte empty = 0;
            var valuePtr = v == null ? &empty : v;
            return LeafCallbacks.AddHeader(_envoy, _type, new ModuleBuffer(k, key.Length), new ModuleBuffer(valuePtr, value.Length)) != 0;
        }
    }

    /// <summary>Removes every value of <paramref name="key"/> (the ABI's set with a NULL value).</summary>
    /// <param name="key">Lower-case header name.</param>
    /// <returns>False for an empty key or when Envoy refuses.</returns>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty)
        {
            return false;
        }
        fixed (byte* k = key)
        {
            return LeafCallbacks.SetHeader(_envoy, _type, new ModuleBuffer(k, key.Length), default) != 0;
        }
    }

    /// <summary>
    /// Every entry at once (two calls into Envoy), for looking up several names in one hook; one snapshot or
    /// enumeration per worker at a time. Empty when the map does not exist (yet).
    /// </summary>
    /// <returns>The snapshot.</returns>
    public HeaderSnapshot Snapshot()
    {
        int count = ReadAll(out var entries);
        return count == 0 ? default : new HeaderSnapshot(entries.AsSpan(0, count));
    }

    /// <summary>Enumerates every entry in order (one enumeration per worker at a time).</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator()
    {
        int count = ReadAll(out var entries);
        return count == 0 ? default : new Enumerator(entries, count);
    }

    // Every entry into this worker's scratch array: the count, 0 when the map is empty or missing.
    private int ReadAll(out EnvoyHttpHeader[] entries)
    {
        entries = [];
        var size = Size;
        if (size == 0)
        {
            return 0;
        }
        var scratch = ScratchBuffers.Headers(size);
        fixed (EnvoyHttpHeader* p = scratch)
        {
            if (LeafCallbacks.GetHeaders(_envoy, _type, p) == 0)
            {
                return 0;
            }
        }
        entries = scratch;
        return size;
    }

    /// <summary>Walks (key, value) views; see <see cref="ScratchBuffers"/> for the nesting rule.</summary>
    public ref struct Enumerator
    {
        private readonly EnvoyHttpHeader[]? _headers;
        private readonly int _count;
        private int _index;

        internal Enumerator(EnvoyHttpHeader[] headers, int count)
        {
            _headers = headers;
            _count = count;
            _index = -1;
        }

        /// <summary>Advances to the next entry.</summary>
        /// <returns>False after the last one.</returns>
        public bool MoveNext() => _headers is not null && ++_index < _count;

        /// <summary>The current entry.</summary>
        public readonly HeaderPair Current => new(_headers![_index].Key, _headers[_index].Value);
    }
}
