using System.Buffers.Binary;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// Parses an address from UTF-8 bytes into 4 (IPv4) or 16 (IPv6) bytes without allocating (IPAddress would
/// allocate per request). Accepts an optional port ("1.2.3.4:80", "[::1]:80") and returns IPv4-mapped IPv6
/// addresses as IPv4 so one CIDR syntax covers both.
/// </summary>
internal static class IpAddressParser
{
    /// <summary>Returns the number of bytes written to <paramref name="destination"/> (>= 16 bytes): 4, 16, or 0 if invalid.</summary>
    public static int Parse(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (text.IsEmpty)
        {
            return 0;
        }
        if (text[0] == (byte)'[')
        {
            int close = text.IndexOf((byte)']');
            if (close < 0)
            {
                return 0;
            }
            return NormaliseMapped(ParseIPv6(text[1..close], destination), destination);
        }
        int firstColon = text.IndexOf((byte)':');
        if (firstColon >= 0 && text.LastIndexOf((byte)':') == firstColon)
        {
            // Exactly one colon: "ipv4:port".
            return ParseIPv4(text[..firstColon], destination) ? 4 : 0;
        }
        if (firstColon < 0)
        {
            return ParseIPv4(text, destination) ? 4 : 0;
        }
        return NormaliseMapped(ParseIPv6(text, destination), destination);
    }

    private static int NormaliseMapped(int length, Span<byte> address)
    {
        if (length == 16 && address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
        {
            address.Slice(12, 4).CopyTo(address);
            return 4;
        }
        return length;
    }

    private static bool ParseIPv4(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        int part = 0;
        int value = -1;
        int digits = 0;
        foreach (byte c in text)
        {
            if (c == (byte)'.')
            {
                if (value < 0 || part == 3)
                {
                    return false;
                }
                destination[part++] = (byte)value;
                value = -1;
                digits = 0;
                continue;
            }
            if (c is < (byte)'0' or > (byte)'9' || ++digits > 3)
            {
                return false;
            }
            value = (value < 0 ? 0 : value * 10) + (c - '0');
            if (value > 255)
            {
                return false;
            }
        }
        if (value < 0 || part != 3)
        {
            return false;
        }
        destination[3] = (byte)value;
        return true;
    }

    private static int ParseIPv6(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        int zone = text.IndexOf((byte)'%');
        if (zone >= 0)
        {
            text = text[..zone];
        }
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int gapAt = -1;
        int i = 0;
        if (text.StartsWith("::"u8))
        {
            gapAt = 0;
            i = 2;
        }
        while (i < text.Length)
        {
            if (count == 8)
            {
                return 0;
            }
            int end = text[i..].IndexOf((byte)':');
            ReadOnlySpan<byte> group = end < 0 ? text[i..] : text.Slice(i, end);
            if (end < 0 && group.IndexOf((byte)'.') >= 0)
            {
                // Trailing dotted IPv4 ("::ffff:1.2.3.4") fills the last two groups.
                Span<byte> v4 = stackalloc byte[4];
                if (count > 6 || !ParseIPv4(group, v4))
                {
                    return 0;
                }
                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(v4);
                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(v4[2..]);
                i = text.Length;
                break;
            }
            if (!TryParseHexGroup(group, out ushort value))
            {
                return 0;
            }
            groups[count++] = value;
            if (end < 0)
            {
                i = text.Length;
                break;
            }
            i += end + 1;
            if (i < text.Length && text[i] == (byte)':')
            {
                if (gapAt >= 0)
                {
                    return 0;
                }
                gapAt = count;
                i++;
            }
            else if (i == text.Length)
            {
                return 0; // trailing single colon
            }
        }
        if (gapAt < 0 ? count != 8 : count > 7)
        {
            return 0;
        }
        destination[..16].Clear();
        int tail = gapAt < 0 ? 0 : count - gapAt;
        int head = count - tail;
        for (int g = 0; g < head; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(g * 2)..], groups[g]);
        }
        for (int g = 0; g < tail; g++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[((8 - tail + g) * 2)..], groups[head + g]);
        }
        return 16;
    }

    private static bool TryParseHexGroup(ReadOnlySpan<byte> group, out ushort value)
    {
        value = 0;
        if (group.IsEmpty || group.Length > 4)
        {
            return false;
        }
        int v = 0;
        foreach (byte c in group)
        {
            int digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }
            v = (v << 4) | digit;
        }
        value = (ushort)v;
        return true;
    }
}
