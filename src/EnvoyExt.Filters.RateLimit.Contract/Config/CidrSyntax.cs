using System.Net;
using System.Net.Sockets;

namespace EnvoyExt.Filters.RateLimit.Config;

/// <summary>
/// Config-time parse of a contract CIDR ("a.b.c.d/n" or "v6::/n"). An IPv4-mapped IPv6 address is
/// returned as IPv4, so "::ffff:10.0.0.0/104" and "10.0.0.0/8" describe the same clients.
/// </summary>
public static class CidrSyntax
{
    /// <summary>On success the address (not yet masked) and prefix length; on failure the reason.</summary>
    public static bool TryParse(string text, out IPAddress? address, out int prefixLength, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        prefixLength = 0;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            reason = $"must be a CIDR such as 10.0.0.0/8 or 2001:db8::/32 (got \"{text}\")";
            return false;
        }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var parsed) ||
            (parsed.AddressFamily != AddressFamily.InterNetwork && parsed.AddressFamily != AddressFamily.InterNetworkV6) ||
            (parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId != 0))
        {
            reason = $"invalid IP address in CIDR \"{text}\"";
            return false;
        }
        if (parsed.IsIPv4MappedToIPv6)
        {
            parsed = parsed.MapToIPv4();
        }
        int maxPrefix = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        ReadOnlySpan<char> prefixText = text.AsSpan(slash + 1);
        if (prefixText.Length is 0 or > 3 || prefixText.ContainsAnyExceptInRange('0', '9') ||
            !int.TryParse(prefixText, out int prefix) || prefix > maxPrefix)
        {
            reason = $"invalid prefix length in CIDR \"{text}\" (must be 0..{maxPrefix})";
            return false;
        }
        address = parsed;
        prefixLength = prefix;
        reason = null;
        return true;
    }
}
