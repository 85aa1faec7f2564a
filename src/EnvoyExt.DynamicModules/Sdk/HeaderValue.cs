namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A header value checked once (no CR/LF/NUL), for values a filter sets on many requests and knows at
/// config time (e.g. x-ratelimit-limit of a rule): the <see cref="HeaderMap"/> setter that takes it makes
/// one call into Envoy and nothing else. Create it at config time.
/// </summary>
public sealed class HeaderValue
{
    private readonly byte[] _bytes;

    /// <summary>Checks and copies <paramref name="value"/>.</summary>
    /// <param name="value">The value's bytes (may be empty).</param>
    /// <exception cref="ArgumentException">The value has CR, LF or NUL.</exception>
    public HeaderValue(ReadOnlySpan<byte> value)
    {
        if (!HeaderValidation.IsValidValue(value))
        {
            throw new ArgumentException("a header value must be free of CR, LF and NUL", nameof(value));
        }
        _bytes = value.ToArray();
    }

    /// <summary>The decimal digits of <paramref name="value"/>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>A value that needs no check (digits only).</returns>
    public static HeaderValue FromNumber(ulong value)
    {
        Span<byte> digits = stackalloc byte[DecimalDigits.MaxLength];
        return new HeaderValue(digits[..DecimalDigits.Write(value, digits)]);
    }

    /// <summary>The value's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;
}
