namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Writes an unsigned number's decimal digits, two per step from a table. A header value like
/// x-ratelimit-remaining is formatted on every request, and the general-purpose formatter costs several
/// times more than this for what is always a short run of ASCII digits.
/// </summary>
internal static class DecimalDigits
{
    /// <summary>Room for the longest value (ulong.MaxValue has 20 digits).</summary>
    public const int MaxLength = 20;

    private static ReadOnlySpan<byte> Pairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>Writes the digits of <paramref name="value"/> at the start of <paramref name="destination"/>.</summary>
    /// <returns>How many bytes were written.</returns>
    public static int Write(ulong value, Span<byte> destination)
    {
        int length = CountDigits(value);
        var digits = destination[..length];
        int at = length;
        var pairs = Pairs;
        while (value >= 100)
        {
            ulong rest = value / 100;
            int pair = (int)(value - (rest * 100)) * 2;
            value = rest;
            at -= 2;
            digits[at + 1] = pairs[pair + 1];
            digits[at] = pairs[pair];
        }
        if (value >= 10)
        {
            int pair = (int)value * 2;
            digits[1] = pairs[pair + 1];
            digits[0] = pairs[pair];
        }
        else
        {
            digits[0] = (byte)('0' + (int)value);
        }
        return length;
    }

    private static int CountDigits(ulong value)
    {
        int count = 1;
        while (value >= 10)
        {
            value /= 10;
            count++;
        }
        return count;
    }
}
