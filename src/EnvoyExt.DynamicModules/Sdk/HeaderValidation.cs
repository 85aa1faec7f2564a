namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Refuses header keys and values that would let a filter smuggle a second header or end the header
/// block (CR, LF) or truncate a C string (NUL). Envoy would reject them later with a less clear error.
/// </summary>
public static class HeaderValidation
{
    public static bool IsValidValue(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) < 0;

    public static bool IsValidKey(ReadOnlySpan<byte> key) => !key.IsEmpty && IsValidValue(key);
}
