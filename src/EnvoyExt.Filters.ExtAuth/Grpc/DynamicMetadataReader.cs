namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>The kind of a <c>google.protobuf.Value</c>.</summary>
internal enum MetadataKind
{
    /// <summary>null_value, or a Value with no kind set.</summary>
    Null,
    String,
    Number,
    Bool,

    /// <summary>A nested struct (written through the struct setter only).</summary>
    Struct,

    /// <summary>A list (written through the struct setter only).</summary>
    List,
}

/// <summary>
/// Walks <c>CheckResponse.dynamic_metadata</c> (field 4, a <c>google.protobuf.Struct</c>: map entries
/// <c>fields = 1</c> of key 1 and <c>Value</c> 2, whose null is 1, number 2, string 3, bool 4, struct 5
/// and list 6) one entry at a time, straight from the received bytes. A nested struct or list is
/// checked to be well formed and at most <see cref="MaxDepth"/> deep.
/// </summary>
internal ref struct DynamicMetadataReader
{
    private ProtoReader _response;
    private ProtoReader _fields;
    private bool _inStruct;

    public DynamicMetadataReader(ReadOnlySpan<byte> checkResponse) => _response = new ProtoReader(checkResponse);

    /// <summary>Nesting accepted below a top-level value (protobuf's own parser stops at 100).</summary>
    public const int MaxDepth = 32;

    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The whole map entry (key and value) as received, to copy into a Struct of our own.</summary>
    public ReadOnlySpan<byte> Entry { get; private set; }

    public MetadataKind Kind { get; private set; }

    public ReadOnlySpan<byte> StringValue { get; private set; }

    public double NumberValue { get; private set; }

    public bool BoolValue { get; private set; }

    public bool Malformed { get; private set; }

    public bool Next()
    {
        while (true)
        {
            if (!_inStruct && !EnterStruct())
            {
                return false;
            }
            while (_fields.Next())
            {
                if (_fields.Field != 1 || _fields.WireType != 2)
                {
                    _fields.Skip();
                    continue;
                }
                var entry = _fields.ReadBytes();
                if (_fields.Malformed || !ReadEntry(entry))
                {
                    Malformed = true;
                    return false;
                }
                return true;
            }
            Malformed |= _fields.Malformed;
            _inStruct = false;
            if (Malformed)
            {
                return false;
            }
        }
    }

    // The next dynamic_metadata field of the response (a repeated occurrence merges, as protobuf says).
    private bool EnterStruct()
    {
        while (_response.Next())
        {
            if (_response.Field != 4 || _response.WireType != 2)
            {
                _response.Skip();
                continue;
            }
            _fields = new ProtoReader(_response.ReadBytes());
            _inStruct = !_response.Malformed;
            if (!_inStruct)
            {
                Malformed = true;
                return false;
            }
            return true;
        }
        Malformed |= _response.Malformed;
        return false;
    }

    private bool ReadEntry(ReadOnlySpan<byte> entry)
    {
        Entry = entry;
        Key = default;
        Kind = MetadataKind.Null;
        StringValue = default;
        NumberValue = 0;
        BoolValue = false;
        var reader = new ProtoReader(entry);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    Key = reader.ReadBytes();
                    break;
                case 2:
                    ReadValue(reader.ReadBytes());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return !reader.Malformed && !Malformed;
    }

    private void ReadValue(ReadOnlySpan<byte> value)
    {
        var reader = new ProtoReader(value);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    Kind = MetadataKind.Null;
                    reader.ReadVarint();
                    break;
                case 2:
                    Kind = MetadataKind.Number;
                    NumberValue = reader.ReadDouble();
                    break;
                case 3:
                    Kind = MetadataKind.String;
                    StringValue = reader.ReadBytes();
                    break;
                case 4:
                    Kind = MetadataKind.Bool;
                    BoolValue = reader.ReadVarint() != 0;
                    break;
                case 5:
                    Kind = MetadataKind.Struct;
                    Malformed |= !IsWellFormedStruct(reader.ReadBytes(), 1);
                    break;
                case 6:
                    Kind = MetadataKind.List;
                    Malformed |= !IsWellFormedList(reader.ReadBytes(), 1);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        Malformed |= reader.Malformed;
    }

    private static bool IsWellFormedStruct(ReadOnlySpan<byte> fields, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }
        var reader = new ProtoReader(fields);
        while (reader.Next())
        {
            if (reader.Field != 1 || reader.WireType != 2)
            {
                reader.Skip();
                continue;
            }
            var entry = new ProtoReader(reader.ReadBytes());
            while (entry.Next())
            {
                if (entry.Field == 2 && entry.WireType == 2 ? !IsWellFormedValue(entry.ReadBytes(), depth) : SkipFails(ref entry))
                {
                    return false;
                }
            }
            if (entry.Malformed)
            {
                return false;
            }
        }
        return !reader.Malformed;
    }

    private static bool IsWellFormedList(ReadOnlySpan<byte> values, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }
        var reader = new ProtoReader(values);
        while (reader.Next())
        {
            if (reader.Field == 1 && reader.WireType == 2 ? !IsWellFormedValue(reader.ReadBytes(), depth) : SkipFails(ref reader))
            {
                return false;
            }
        }
        return !reader.Malformed;
    }

    private static bool IsWellFormedValue(ReadOnlySpan<byte> value, int depth)
    {
        var reader = new ProtoReader(value);
        while (reader.Next())
        {
            bool ok = reader.Field switch
            {
                5 when reader.WireType == 2 => IsWellFormedStruct(reader.ReadBytes(), depth + 1),
                6 when reader.WireType == 2 => IsWellFormedList(reader.ReadBytes(), depth + 1),
                _ => !SkipFails(ref reader),
            };
            if (!ok)
            {
                return false;
            }
        }
        return !reader.Malformed;
    }

    // Skips the current field; true when that left the reader malformed.
    private static bool SkipFails(ref ProtoReader reader)
    {
        reader.Skip();
        return reader.Malformed;
    }
}
