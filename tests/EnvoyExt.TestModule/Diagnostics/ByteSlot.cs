namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// A reusable owned copy of bytes seen in an earlier hook (header views die with the hook). Lives in
/// pooled filter objects, so after warm-up copying allocates nothing.
/// </summary>
internal sealed class ByteSlot
{
    private byte[] _data = new byte[64];

    public bool IsSet { get; private set; }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _data.AsSpan(0, Length);

    public void Set(ReadOnlySpan<byte> value)
    {
        if (value.Length > _data.Length)
        {
            _data = new byte[value.Length];
        }
        value.CopyTo(_data);
        Length = value.Length;
        IsSet = true;
    }

    /// <summary>Appends "," + value (or just value when empty).</summary>
    public void AppendListItem(ReadOnlySpan<byte> value)
    {
        var need = Length + (Length > 0 ? 1 : 0) + value.Length;
        if (need > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(need, _data.Length * 2));
        }
        if (Length > 0)
        {
            _data[Length++] = (byte)',';
        }
        value.CopyTo(_data.AsSpan(Length));
        Length += value.Length;
        IsSet = true;
    }

    /// <summary>Appends value as is.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        var need = Length + value.Length;
        if (need > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(need, _data.Length * 2));
        }
        value.CopyTo(_data.AsSpan(Length));
        Length += value.Length;
        IsSet = true;
    }

    public void Clear()
    {
        Length = 0;
        IsSet = false;
    }
}
