namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Refuses header keys and values that would let a filter smuggle a second header or end the header
/// block (CR, LF) or truncate a C string (NUL). Envoy would reject them later with a less clear error.
/// </summary>
public static class HeaderValidation
{
    /// <summary>True when <paramref name="value"/> has no CR, LF or NUL.</summary>
    /// <param name="value">A header value.</param>
    /// <returns>Whether Envoy can take it as is.</returns>
    public static bool IsValidValue(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) < 0;

    /// <summary>True when <paramref name="key"/> is non-empty and has no CR, LF or NUL.</summary>
    /// <param name="key">A header name.</param>
    /// <returns>Whether Envoy can take it as is.</returns>
    public static bool IsValidKey(ReadOnlySpan<byte> key) => !key.IsEmpty && IsValidValue(key);
}
