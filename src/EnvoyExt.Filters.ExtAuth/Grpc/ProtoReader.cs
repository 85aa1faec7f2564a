namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>
/// Reads protobuf wire format field by field from a span, without allocating. Malformed input (a truncated
/// varint or field, a group, an unknown wire type) sets <see cref="Malformed"/> and ends the walk.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    public bool Malformed { get; private set; }

    /// <summary>The current field's number.</summary>
    public int Field { get; private set; }

    /// <summary>The current field's wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public int WireType { get; private set; }

    /// <summary>Advances to the next field; false at the end or on malformed input.</summary>
    public bool Next()
    {
        if (Malformed || _position >= _message.Length)
        {
            return false;
        }
        if (!TryVarint(out ulong tag) || tag >> 3 is 0 or > int.MaxValue)
        {
            Malformed = true;
            return false;
        }
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        if (WireType is not (0 or 1 or 2 or 5))
        {
            Malformed = true;
            return false;
        }
        return true;
    }

    /// <summary>The current varint field's value.</summary>
    public ulong ReadVarint()
    {
        if (WireType != 0 || !TryVarint(out ulong value))
        {
            Malformed = true;
            return 0;
        }
        return value;
    }

    /// <summary>The current length-delimited field's bytes (a string, bytes or a nested message).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        if (WireType != 2 || !TryVarint(out ulong length) || length > (ulong)(_message.Length - _position))
        {
            Malformed = true;
            return default;
        }
        var bytes = _message.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>The current 64-bit field as a double (wire type 1, little-endian).</summary>
    public double ReadDouble()
    {
        if (WireType != 1 || _message.Length - _position < 8)
        {
            Malformed = true;
            return 0;
        }
        double value = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(_message.Slice(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>Skips the current field (any wire type).</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 2:
                ReadBytes();
                break;
            case 1:
                Advance(8);
                break;
            default:
                Advance(4);
                break;
        }
    }

    private void Advance(int count)
    {
        if (_message.Length - _position < count)
        {
            Malformed = true;
            return;
        }
        _position += count;
    }

    private bool TryVarint(out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _message.Length)
            {
                return false;
            }
            byte b = _message[_position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }
}
