using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// A parsed CIDR (address bytes already masked to the prefix). IPv4 is kept as 4 bytes; a client address
/// in IPv4-mapped IPv6 form is normalised to IPv4 before matching, so "10.0.0.0/8" covers "::ffff:10.1.2.3".
/// </summary>
internal sealed class IpCidr
{
    private readonly byte[] _network;

    private IpCidr(byte[] network, int prefixLength)
    {
        _network = network;
        PrefixLength = prefixLength;
    }

    public int PrefixLength { get; }

    public bool IsIPv4 => _network.Length == 4;

    /// <summary>Config time: parses "a.b.c.d/n" or "v6::/n" (the contract's syntax); on failure returns null and the reason.</summary>
    public static IpCidr? TryParse(string text, out string? reason)
    {
        if (!CidrSyntax.TryParse(text, out var address, out int prefix, out reason))
        {
            return null;
        }
        byte[] bytes = address!.GetAddressBytes();
        Mask(bytes, prefix);
        return new IpCidr(bytes, prefix);
    }

    /// <summary>Hot path: does the (already normalised) client address fall inside this CIDR?</summary>
    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != _network.Length)
        {
            return false;
        }
        int fullBytes = PrefixLength >> 3;
        if (!address[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
        {
            return false;
        }
        int remainingBits = PrefixLength & 7;
        if (remainingBits == 0)
        {
            return true;
        }
        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (address[fullBytes] & mask) == _network[fullBytes];
    }

    private static void Mask(byte[] bytes, int prefix)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            int bitsInThisByte = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsInThisByte));
        }
    }
}
