using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Writes an unsigned number's decimal digits: the length from the number's bit length (one table compare),
/// then two digits per step from a table. A header value like
/// x-ratelimit-remaining is formatted on every request, and the general-purpose formatter costs several
/// times more than this for what is always a short run of ASCII digits.
/// </summary>
internal static class DecimalDigits
{
    /// <summary>Room for the longest value (ulong.MaxValue has 20 digits).</summary>
    public const int MaxLength = 20;

    private static ReadOnlySpan<byte> Pairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ];

    /// <summary>Writes the digits of <paramref name="value"/> at the start of <paramref name="destination"/>.</summary>
    /// <returns>How many bytes were written.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than the number.</exception>
    public static int Write(ulong value, Span<byte> destination)
    {
        int length = CountDigits(value);
        if (length > destination.Length)
        {
            throw new ArgumentException("too short for the number", nameof(destination));
        }
        // Two digits per step, from the last one backwards; the length check above bounds every write, so the
        // loop works on references without a range check per byte.
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), length);
        ref byte pairs = ref MemoryMarshal.GetReference(Pairs);
        while (value >= 100)
        {
            ulong rest = value / 100;
            nuint pair = (nuint)(value - (rest * 100)) * 2;
            value = rest;
            at = ref Unsafe.Subtract(ref at, 2);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref pairs, pair)));
        }
        if (value >= 10)
        {
            at = ref Unsafe.Subtract(ref at, 2);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref pairs, (nuint)value * 2)));
        }
        else
        {
            Unsafe.Subtract(ref at, 1) = (byte)('0' + value);
        }
        return length;
    }

    /// <summary>1 to 20: log10 estimated from the bit length (1233/4096 ~ log10(2)), corrected by one compare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountDigits(ulong value)
    {
        value |= 1;
        int estimate = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return estimate + 1 - (value < PowersOf10[estimate] ? 1 : 0);
    }
}
