using System.Net;
using System.Net.Sockets;

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

    /// <summary>Config time: parses "a.b.c.d/n" or "v6::/n"; on failure returns null and the reason.</summary>
    public static IpCidr? TryParse(string text, out string? reason)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            reason = $"must be a CIDR such as 10.0.0.0/8 or 2001:db8::/32 (got \"{text}\")";
            return null;
        }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address) ||
            (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6) ||
            (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            reason = $"invalid IP address in CIDR \"{text}\"";
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        byte[] bytes = address.GetAddressBytes();
        int maxPrefix = bytes.Length * 8;
        ReadOnlySpan<char> prefixText = text.AsSpan(slash + 1);
        if (prefixText.Length is 0 or > 3 || !prefixText.ContainsOnlyDigits() ||
            !int.TryParse(prefixText, out int prefix) || prefix > maxPrefix)
        {
            reason = $"invalid prefix length in CIDR \"{text}\" (must be 0..{maxPrefix})";
            return null;
        }
        Mask(bytes, prefix);
        reason = null;
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
