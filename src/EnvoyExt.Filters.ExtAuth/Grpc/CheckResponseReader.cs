namespace EnvoyExt.Filters.ExtAuth.Grpc;

/// <summary>What a <c>CheckResponse</c> decided.</summary>
internal enum CheckVerdict
{
    Allow,
    Deny,
    Malformed,
}

/// <summary>One header of a <c>HeaderValueOption</c>, with how to apply it to the upstream request.</summary>
internal enum HeaderAction
{
    Set,
    Append,
    AddIfAbsent,
    OverwriteIfExists,
}

/// <summary>
/// Reads <c>envoy.service.auth.v3.CheckResponse</c> (field numbers from upstream's external_auth.proto,
/// config/core/v3/base.proto and type/v3/http_status.proto) straight from the received bytes.
/// </summary>
internal static class CheckResponseReader
{
    /// <summary>Status OK (or no status) allows; anything else denies. The matching sub-message is returned.</summary>
    public static CheckVerdict Read(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> ok, out ReadOnlySpan<byte> denied)
    {
        ok = default;
        denied = default;
        ulong code = 0;
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: // status: google.rpc.Status
                    code = ReadVarintField(reader.ReadBytes(), 1);
                    break;
                case 2: // denied_response
                    denied = reader.ReadBytes();
                    break;
                case 3: // ok_response
                    ok = reader.ReadBytes();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.Malformed)
        {
            return CheckVerdict.Malformed;
        }
        return code == 0 ? CheckVerdict.Allow : CheckVerdict.Deny;
    }

    /// <summary>DeniedHttpResponse.status.code, or 0 when absent.</summary>
    public static ulong DeniedStatus(ReadOnlySpan<byte> denied, out ReadOnlySpan<byte> body, out bool malformed)
    {
        body = default;
        ulong status = 0;
        var reader = new ProtoReader(denied);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: // status: type.v3.HttpStatus { code = 1 }
                    status = ReadVarintField(reader.ReadBytes(), 1);
                    break;
                case 3: // body
                    body = reader.ReadBytes();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        malformed = reader.Malformed;
        return status;
    }

    /// <summary>
    /// Walks the repeated <c>HeaderValueOption</c> field <paramref name="field"/> of <paramref name="message"/>
    /// (DeniedHttpResponse.headers = 2, OkHttpResponse.headers = 2); <see cref="Next"/> yields one header at a time.
    /// </summary>
    public ref struct HeaderOptions(ReadOnlySpan<byte> message, int field)
    {
        private ProtoReader _reader = new(message);

        public ReadOnlySpan<byte> Key { get; private set; }

        public ReadOnlySpan<byte> Value { get; private set; }

        public HeaderAction Action { get; private set; }

        public bool Malformed { get; private set; }

        public bool Next()
        {
            while (_reader.Next())
            {
                if (_reader.Field != field || _reader.WireType != 2)
                {
                    _reader.Skip();
                    continue;
                }
                var option = _reader.ReadBytes();
                if (_reader.Malformed || !ReadOption(option))
                {
                    Malformed = true;
                    return false;
                }
                return true;
            }
            Malformed |= _reader.Malformed;
            return false;
        }

        // HeaderValueOption { header = 1 (HeaderValue { key = 1, value = 2, raw_value = 3 }), append = 2 (BoolValue), append_action = 3 }
        private bool ReadOption(ReadOnlySpan<byte> option)
        {
            Key = default;
            Value = default;
            bool? append = null;
            ulong? action = null;
            var reader = new ProtoReader(option);
            while (reader.Next())
            {
                switch (reader.Field)
                {
                    case 1:
                        ReadHeaderValue(reader.ReadBytes(), out var key, out var value, out bool bad);
                        if (bad)
                        {
                            return false;
                        }
                        Key = key;
                        Value = value;
                        break;
                    case 2:
                        append = ReadVarintField(reader.ReadBytes(), 1) != 0;
                        break;
                    case 3:
                        action = reader.ReadVarint();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.Malformed || Key.IsEmpty)
            {
                return false;
            }
            // The deprecated append flag wins when present; with neither, these messages overwrite.
            Action = append is { } flag ? (flag ? HeaderAction.Append : HeaderAction.Set) : action switch
            {
                null => HeaderAction.Set,
                0 => HeaderAction.Append,
                1 => HeaderAction.AddIfAbsent,
                2 => HeaderAction.Set,
                3 => HeaderAction.OverwriteIfExists,
                _ => HeaderAction.Set,
            };
            return action is null or <= 3;
        }

        private static void ReadHeaderValue(ReadOnlySpan<byte> headerValue, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool malformed)
        {
            key = default;
            value = default;
            ReadOnlySpan<byte> raw = default;
            var reader = new ProtoReader(headerValue);
            while (reader.Next())
            {
                switch (reader.Field)
                {
                    case 1:
                        key = reader.ReadBytes();
                        break;
                    case 2:
                        value = reader.ReadBytes();
                        break;
                    case 3:
                        raw = reader.ReadBytes();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (value.IsEmpty)
            {
                value = raw;
            }
            malformed = reader.Malformed;
        }
    }

    /// <summary>Walks OkHttpResponse.headers_to_remove (field 5, repeated string).</summary>
    public ref struct HeadersToRemove(ReadOnlySpan<byte> ok)
    {
        private ProtoReader _reader = new(ok);

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool Malformed => _reader.Malformed;

        public bool Next()
        {
            while (_reader.Next())
            {
                if (_reader.Field == 5 && _reader.WireType == 2)
                {
                    Current = _reader.ReadBytes();
                    return !_reader.Malformed;
                }
                _reader.Skip();
            }
            return false;
        }
    }

    private static ulong ReadVarintField(ReadOnlySpan<byte> message, int field)
    {
        var reader = new ProtoReader(message);
        ulong value = 0;
        while (reader.Next())
        {
            if (reader.Field == field && reader.WireType == 0)
            {
                value = reader.ReadVarint();
            }
            else
            {
                reader.Skip();
            }
        }
        return value;
    }
}
