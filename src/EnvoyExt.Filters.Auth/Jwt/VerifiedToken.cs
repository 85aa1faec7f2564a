namespace EnvoyExt.Filters.Auth.Jwt;

/// <summary>
/// What a verified token says that the filter uses later: its validity window and the configured claims.
/// Cached per worker; exp/nbf are checked again on every use.
/// </summary>
internal sealed class VerifiedToken(long notBefore, long expires, ClaimValue?[] claims)
{
    /// <summary>Unix seconds; long.MinValue when the token has no nbf.</summary>
    public long NotBefore { get; } = notBefore;

    /// <summary>Unix seconds; long.MaxValue when the token has no exp.</summary>
    public long Expires { get; } = expires;

    /// <summary>Indexed like <see cref="JwtSettings.ClaimNames"/>; null where the token lacks the claim.</summary>
    public ClaimValue?[] Claims { get; } = claims;

    /// <summary>exp is exclusive and nbf inclusive, each widened by the skew (no overflow at the sentinels).</summary>
    public bool IsCurrent(long nowSeconds, long skewSeconds) =>
        (Expires == long.MaxValue || nowSeconds - skewSeconds < Expires) &&
        (NotBefore == long.MinValue || nowSeconds + skewSeconds >= NotBefore);
}

/// <summary>
/// A claim's value: as a header value (a string as is, an array joined by ',', other JSON as raw text) and
/// as the words a rule matches (a string and each of its space-separated words, or each array element).
/// </summary>
internal sealed class ClaimValue(byte[] headerValue, byte[][] words)
{
    public byte[] HeaderValue { get; } = headerValue;

    public byte[][] Words { get; } = words;

    public bool Holds(ReadOnlySpan<byte> value)
    {
        foreach (var word in Words)
        {
            if (value.SequenceEqual(word))
            {
                return true;
            }
        }
        return false;
    }
}
