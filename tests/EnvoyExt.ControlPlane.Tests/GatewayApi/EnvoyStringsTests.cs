using EnvoyExt.ControlPlane.GatewayApi;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>The string checks that keep values Envoy would NACK out of a snapshot (the golden case envoy-rejects shows them in status).</summary>
public sealed class EnvoyStringsTests
{
    [Theory]
    [InlineData("/api/v[0-9]+")]
    [InlineData("^(?i)abc$")]
    [InlineData(@"a\\1")] // an escaped backslash followed by "1", not a backreference
    [InlineData(@"\(\?=")] // escaped parentheses, not a lookahead
    [InlineData("(?P<name>x)|(?<other>y)")]
    [InlineData("a{2,1000}")]
    public void Re2AcceptsWhatRe2Compiles(string pattern) => Assert.Null(EnvoyStrings.Re2Regex(pattern));

    [Theory]
    [InlineData("a(?=b)", "(?=")]
    [InlineData("a(?!b)", "(?!")]
    [InlineData("(?<=a)b", "(?<=")]
    [InlineData("(?<!a)b", "(?<!")]
    [InlineData("(a)\\1", "\\1")]
    [InlineData("(?<n>a)\\k<n>", "\\k<")]
    [InlineData("(?>a+)", "(?>")]
    [InlineData("a\\Z", "\\Z")]
    [InlineData("(?x) a b", "(?x")]
    [InlineData("a{1001}", "1001")]
    [InlineData("a\nb", "CR, LF or NUL")]
    [InlineData("(unclosed", "invalid regular expression")]
    public void Re2RefusesWhatRe2Cannot(string pattern, string named) =>
        Assert.Contains(named, EnvoyStrings.Re2Regex(pattern), StringComparison.Ordinal);

    [Fact]
    public void UnpairedSurrogatesAreNotUtf8()
    {
        Assert.Contains("UTF-8", EnvoyStrings.HeaderValue("a\uD800b"), StringComparison.Ordinal);
        Assert.Contains("UTF-8", EnvoyStrings.HeaderValue("\uDC00"), StringComparison.Ordinal);
        Assert.Null(EnvoyStrings.HeaderValue("emoji \U0001F600 caf\u00e9"));
    }

    [Theory]
    [InlineData("x-ok", null)]
    [InlineData("X-Mixed_Case.1", null)]
    [InlineData("host", "Host header")]
    [InlineData("HOST", "Host header")]
    [InlineData(":authority", "not a valid header name")]
    [InlineData("", "1..256")]
    public void RequestHeadersAFilterMayModify(string name, string? error)
    {
        var actual = EnvoyStrings.ModifiableRequestHeader(name);
        if (error is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(error, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/a/b%2Fc;x=1@:", true)]
    [InlineData("a", false)]
    [InlineData("/a?b", false)]
    [InlineData("/a#b", false)]
    [InlineData("/%zz", false)]
    [InlineData("/a\tb", false)]
    public void PathsHoldOnlyPathCharacters(string path, bool valid) => Assert.Equal(valid, EnvoyStrings.Path(path) is null);
}
