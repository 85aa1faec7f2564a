using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>
/// Checks on headers that come from the authorization service. Anything the service sends that Envoy
/// would refuse (CR, LF or NUL, an upper-case or empty name, a value over the bound) fails the check
/// closed rather than being dropped or cut; hop-by-hop and framing headers are never copied.
/// </summary>
internal static class AnswerHeaders
{
    public static bool IsSafe(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.IsEmpty || key.Length > ExtAuthFilterContract.MaxNameLength || value.Length > ExtAuthFilterContract.MaxHeaderValueBytes)
        {
            return false;
        }
        foreach (byte b in key)
        {
            if (b <= 0x20 || b >= 0x7f || b is >= (byte)'A' and <= (byte)'Z')
            {
                return false;
            }
        }
        return value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) < 0;
    }

    /// <summary>Headers a denied answer does not pass on to the client: pseudo-headers, framing and hop-by-hop.</summary>
    public static bool IsNotForwarded(ReadOnlySpan<byte> key) =>
        key.IsEmpty || key[0] == ':' ||
        key.SequenceEqual("content-length"u8) || key.SequenceEqual("transfer-encoding"u8) ||
        key.SequenceEqual("connection"u8) || key.SequenceEqual("keep-alive"u8) ||
        key.SequenceEqual("proxy-connection"u8) || key.SequenceEqual("upgrade"u8) ||
        key.SequenceEqual("te"u8) || key.SequenceEqual("trailer"u8);

    /// <summary>Request headers an allowed answer may not change: pseudo-headers and <c>host</c>.</summary>
    public static bool IsProtected(ReadOnlySpan<byte> key) => key.IsEmpty || key[0] == ':' || key.SequenceEqual("host"u8);
}
