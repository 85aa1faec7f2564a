using System.Text;
using EnvoyExt.Filters.RateLimit.Matching;

namespace EnvoyExt.Filters.RateLimit.Tests.Matching;

/// <summary>The byte-level matcher must give exactly the regex engine's answer for every pattern it takes.</summary>
public class Utf8GlobMatcherTests
{
    private static readonly string[] Values =
    [
        "", "a", "ab", "aba", "abba", "mobile-", "mobile-ios-17.2", "mobile-\n", "xmobile-ios", "MOBILE-ios",
        "/api/v1/items", "/api//items", "/api/items", "bot", "googlebot/2.1", "a.b", "axb", "a*b", "v1", "v10",
        "mobile-é", "é-mobile-", "caf\u00e9bot", "a b", "a\tb", "ab\n", "\nab", "x/y-z#w",
    ];

    private static readonly byte[][] RawValues =
    [
        [0x6D, 0x6F, 0x62, 0x69, 0x6C, 0x65, 0x2D, 0xFF], // "mobile-" + invalid UTF-8
        [0xC3, 0x62, 0x6F, 0x74], // truncated sequence then "bot"
        [0x61, 0xE2, 0x82, 0x62], // "a", truncated 3-byte sequence, "b"
        [0x61, 0x0A, 0x62],
    ];

    [Theory]
    [InlineData("mobile-.*")]
    [InlineData(".*bot.*")]
    [InlineData(".*bot")]
    [InlineData("v1")]
    [InlineData("")]
    [InlineData(".*")]
    [InlineData(".*.*")]
    [InlineData("a.*b")]
    [InlineData("ab.*ba")]
    [InlineData("a.*.*b")]
    [InlineData("/api/.*/items")]
    [InlineData(@"a\.b")]
    [InlineData(@"a\*b")]
    [InlineData(@"x/y\-z#w")]
    [InlineData("a b")]
    [InlineData(".*a.*b.*")]
    public void ByteMatchingAgreesWithTheRegexEngine(string pattern)
    {
        var matcher = Create(pattern);
        Assert.True(matcher.MatchesOnBytes, pattern);
        var regex = RegexFactory.TryCreateFullMatch(pattern, out _)!;
        foreach (var value in Values.Select(Encoding.UTF8.GetBytes).Concat(RawValues))
        {
            Assert.True(Utf8RegexMatcher.IsRegexMatch(regex, value) == matcher.IsMatch(value),
                $"pattern '{pattern}', value '{Encoding.UTF8.GetString(value)}'");
        }
    }

    [Theory]
    [InlineData("mobile-(ios|android)")]
    [InlineData("a|b")]
    [InlineData("ab?")]
    [InlineData("a+")]
    [InlineData(".*?x")]
    [InlineData("a.b")]
    [InlineData("[ab]")]
    [InlineData(@"\d+")]
    [InlineData("^a$")]
    [InlineData("a{2}")]
    [InlineData(@"\.+")]
    [InlineData("(?i)abc")]
    [InlineData("é.*")]
    public void OtherPatternsStayOnTheRegexEngine(string pattern)
    {
        var matcher = Create(pattern);
        Assert.False(matcher.MatchesOnBytes, pattern);
        var regex = RegexFactory.TryCreateFullMatch(pattern, out _)!;
        foreach (var value in Values.Select(Encoding.UTF8.GetBytes).Concat(RawValues))
        {
            Assert.Equal(Utf8RegexMatcher.IsRegexMatch(regex, value), matcher.IsMatch(value));
        }
    }

    private static Utf8RegexMatcher Create(string pattern) => new(pattern, RegexFactory.TryCreateFullMatch(pattern, out _)!);
}
