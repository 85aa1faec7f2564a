namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>The kind of a <c>google.protobuf.Value</c> the ABI can store as dynamic metadata.</summary>
internal enum MetadataKind
{
    /// <summary>null, a nested struct or a list: the ABI sets scalars only, so these are skipped.</summary>
    Unsupported,
    String,
    Number,
    Bool,
}

/// <summary>
/// Walks <c>CheckResponse.dynamic_metadata</c> (field 4, a <c>google.protobuf.Struct</c>: map entries
/// <c>fields = 1</c> of key 1 and <c>Value</c> 2, whose number is 2, string 3 and bool 4) one entry at a
/// time, straight from the received bytes.
/// </summary>
internal ref struct DynamicMetadataReader
{
    private ProtoReader _response;
    private ProtoReader _fields;
    private bool _inStruct;

    public DynamicMetadataReader(ReadOnlySpan<byte> checkResponse) => _response = new ProtoReader(checkResponse);

    public ReadOnlySpan<byte> Key { get; private set; }

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
        Key = default;
        Kind = MetadataKind.Unsupported;
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
                default:
                    Kind = MetadataKind.Unsupported;
                    reader.Skip();
                    break;
            }
        }
        Malformed |= reader.Malformed;
    }
}
