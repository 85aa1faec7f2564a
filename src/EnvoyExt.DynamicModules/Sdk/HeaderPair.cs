namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>One header as UTF-8 byte views (what enumerating a <see cref="HeaderMap"/> or a callout response yields).</summary>
public readonly ref struct HeaderPair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
{
    /// <summary>The header name (lower-case).</summary>
    public ReadOnlySpan<byte> Key { get; } = key;

    /// <summary>The header value (bytes, not necessarily UTF-8).</summary>
    public ReadOnlySpan<byte> Value { get; } = value;
}
