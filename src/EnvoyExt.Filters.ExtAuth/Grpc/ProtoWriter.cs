namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>
/// Writes protobuf wire format into a caller-owned span, without allocating. A nested message reserves a
/// three-byte length (messages are bounded below 2 MiB), and <see cref="EndMessage"/> writes the real
/// length and moves the content back over the unused reserve. Writes past the end set <see cref="Overflowed"/>
/// and are dropped, so callers check once at the end.
/// </summary>
internal ref struct ProtoWriter(Span<byte> buffer)
{
    private const int LengthReserve = 3;
    private const int MaxNestedLength = (1 << 21) - 1;

    private readonly Span<byte> _buffer = buffer;

    public int Position { get; private set; }

    public bool Overflowed { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _buffer[..Position];

    public void String(int field, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }
        Tag(field, 2);
        Varint((ulong)utf8.Length);
        Raw(utf8);
    }

    public void UInt(int field, ulong value)
    {
        if (value == 0)
        {
            return;
        }
        Tag(field, 0);
        Varint(value);
    }

    /// <summary>Signed int64 as protobuf <c>int64</c> (negative values take ten bytes).</summary>
    public void Int64(int field, long value)
    {
        if (value == 0)
        {
            return;
        }
        Tag(field, 0);
        Varint(unchecked((ulong)value));
    }

    /// <summary>Starts a length-delimited message field; returns the token for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int field)
    {
        Tag(field, 2);
        int start = Position;
        Reserve(LengthReserve);
        return start;
    }

    public void EndMessage(int start)
    {
        if (Overflowed)
        {
            return;
        }
        int contentStart = start + LengthReserve;
        int length = Position - contentStart;
        if (length > MaxNestedLength)
        {
            Overflowed = true;
            return;
        }
        int prefix = VarintSize((ulong)length);
        int cursor = start;
        WriteVarintAt(ref cursor, (ulong)length);
        if (prefix < LengthReserve)
        {
            _buffer.Slice(contentStart, length).CopyTo(_buffer[(start + prefix)..]);
            Position -= LengthReserve - prefix;
        }
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed || _buffer.Length - Position < bytes.Length)
        {
            Overflowed = true;
            return;
        }
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    public static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        if (Overflowed || _buffer.Length - Position < VarintSize(value))
        {
            Overflowed = true;
            return;
        }
        int cursor = Position;
        WriteVarintAt(ref cursor, value);
        Position = cursor;
    }

    private readonly void WriteVarintAt(ref int cursor, ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[cursor++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[cursor++] = (byte)value;
    }

    private void Reserve(int count)
    {
        if (Overflowed || _buffer.Length - Position < count)
        {
            Overflowed = true;
            return;
        }
        Position += count;
    }
}
