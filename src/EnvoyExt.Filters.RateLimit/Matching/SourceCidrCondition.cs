using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>A compiled <c>sourceCIDR</c> condition; Distinct adds the client IP bytes to the bucket key.</summary>
internal sealed class SourceCidrCondition(IpCidr cidr, SourceCidrMatchType type, bool invert)
{
    public bool Evaluate(ReadOnlySpan<byte> sourceAddress, scoped ref DistinctKeyBuilder key)
    {
        Span<byte> address = stackalloc byte[16];
        int length = IpAddressParser.Parse(sourceAddress, address);
        // An address we cannot read is "not inside the CIDR" (so an inverted condition matches it).
        bool inside = length != 0 && cidr.Contains(address[..length]);
        if (type == SourceCidrMatchType.Distinct)
        {
            if (!inside)
            {
                return false;
            }
            key.AppendValue(address[..length]);
            return true;
        }
        return inside != invert;
    }
}
