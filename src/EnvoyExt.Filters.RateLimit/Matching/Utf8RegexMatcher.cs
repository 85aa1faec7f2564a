using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace EnvoyExt.Filters.RateLimit.Matching;

/// <summary>
/// A full-match pattern run over UTF-8 bytes. Patterns made of literals and <c>.*</c> match on the bytes
/// directly (<see cref="Utf8GlobMatcher"/>); any other runs on the .NET regex, with the value decoded into a
/// stack buffer, or a pooled one when long, so matching allocates nothing. Invalid UTF-8 decodes to U+FFFD
/// like everywhere else in .NET, so such a value can only match patterns that accept it.
/// </summary>
internal sealed class Utf8RegexMatcher
{
    private const int StackChars = 256;

    private readonly Regex _regex;
    private readonly Utf8GlobMatcher? _glob;

    /// <param name="pattern">The pattern as configured.</param>
    /// <param name="fullMatch">The same pattern anchored for a full match (<see cref="RegexFactory"/>).</param>
    public Utf8RegexMatcher(string pattern, Regex fullMatch)
    {
        _regex = fullMatch;
        _glob = Utf8GlobMatcher.TryCreate(pattern);
    }

    /// <summary>Whether the byte-level matcher serves this pattern (tests, diagnostics).</summary>
    public bool MatchesOnBytes => _glob is not null;

    public bool IsMatch(ReadOnlySpan<byte> utf8) => _glob?.IsMatch(utf8) ?? IsRegexMatch(_regex, utf8);

    /// <summary>The regex engine's answer, whatever the pattern (tests compare both paths with it).</summary>
    public static bool IsRegexMatch(Regex regex, ReadOnlySpan<byte> utf8)
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
