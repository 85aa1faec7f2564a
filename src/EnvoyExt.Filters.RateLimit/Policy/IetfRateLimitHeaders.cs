using System.Buffers.Text;
using System.Text;

namespace EnvoyExt.Filters.RateLimit.Policy;

/// <summary>
/// The IETF httpapi rate-limit header fields: <c>RateLimit-Policy: "name";q=100;w=60</c> (quota and window in
/// seconds, fixed per rule, encoded at config time) and <c>RateLimit: "name";r=7;t=30</c> (remaining and seconds
/// until reset, formatted per response into caller storage without allocating).
/// </summary>
internal static class IetfRateLimitHeaders
{
    /// <summary>Upper bound of either value: the escaped name (at most 2 bytes per UTF-8 byte of a 128-char name) and two numbers.</summary>
    public const int MaxValueBytes = (2 * 4 * 128) + 64;

    /// <summary>The name as an sf-string: quoted, with <c>"</c> and <c>\</c> escaped; bytes outside printable ASCII become <c>_</c>.</summary>
    public static byte[] ItemName(string name)
    {
        var text = new StringBuilder(name.Length + 2).Append('"');
        foreach (char c in name)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c is >= ' ' and <= '~' ? c : '_');
            }
        }
        return Encoding.ASCII.GetBytes(text.Append('"').ToString());
    }

    public static byte[] PolicyValue(string name, uint requests, long windowSeconds) =>
        Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetString(ItemName(name))};q={requests};w={windowSeconds}");

    /// <summary>Writes <c>"name";r=remaining;t=reset</c> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int FormatRateLimit(CompiledRule rule, uint remaining, long resetSeconds, Span<byte> destination)
    {
        var name = rule.IetfName;
        name.CopyTo(destination);
        int at = name.Length;
        ";r="u8.CopyTo(destination[at..]);
        at += 3;
        Utf8Formatter.TryFormat(remaining, destination[at..], out int written);
        at += written;
        ";t="u8.CopyTo(destination[at..]);
        at += 3;
        Utf8Formatter.TryFormat(Math.Max(resetSeconds, 0), destination[at..], out written);
        return at + written;
    }
}
