using System.Buffers;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// Builds the key of a Distinct bucket in caller-provided stack memory: the selector index, then each
/// extracted value length-prefixed (so "ab"+"c" and "a"+"bc" differ). Grows into a pooled array for
/// unusually long values, which keeps the steady state allocation-free either way.
/// </summary>
internal ref struct DistinctKeyBuilder
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;

    public DistinctKeyBuilder(Span<byte> initial)
    {
        _buffer = initial;
        _rented = null;
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Key => _buffer[.._length];

    public readonly bool IsEmpty => _length == 0;

    public void Reset() => _length = 0;

    public void AppendByte(byte value)
    {
        EnsureRoom(1);
        _buffer[_length++] = value;
    }

    public void AppendValue(scoped ReadOnlySpan<byte> value)
    {
        EnsureRoom(5 + value.Length);
        uint length = (uint)value.Length;
        while (length >= 0x80)
        {
            _buffer[_length++] = (byte)(length | 0x80);
            length >>= 7;
        }
        _buffer[_length++] = (byte)length;
        value.CopyTo(_buffer[_length..]);
        _length += value.Length;
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void EnsureRoom(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer[.._length].CopyTo(bigger);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
        _rented = bigger;
        _buffer = bigger;
    }
}
