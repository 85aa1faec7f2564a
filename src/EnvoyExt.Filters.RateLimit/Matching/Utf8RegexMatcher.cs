using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// Runs a .NET regex (which works on chars) over UTF-8 bytes: the value is decoded into a stack buffer, or
/// a pooled one when long, so matching allocates nothing. Invalid UTF-8 decodes to U+FFFD like everywhere
/// else in .NET, so such a value can only match patterns that accept it.
/// </summary>
internal static class Utf8RegexMatcher
{
    private const int StackChars = 256;

    public static bool IsMatch(Regex regex, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= StackChars)
        {
            Span<char> chars = stackalloc char[StackChars];
            int n = Encoding.UTF8.GetChars(utf8, chars);
            return regex.IsMatch(chars[..n]);
        }
        char[] rented = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            int n = Encoding.UTF8.GetChars(utf8, rented);
            return regex.IsMatch(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
