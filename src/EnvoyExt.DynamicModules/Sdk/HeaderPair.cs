namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>One header as UTF-8 byte views (what enumerating a <see cref="HeaderMap"/> or a callout response yields).</summary>
public readonly ref struct HeaderPair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Key { get; } = key;

    public ReadOnlySpan<byte> Value { get; } = value;
}
