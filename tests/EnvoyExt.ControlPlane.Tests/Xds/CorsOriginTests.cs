using System.Text.RegularExpressions;
using EnvoyExt.ControlPlane.XdsTranslation.HttpFilters;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>HTTPRoute CORS origins as Envoy matches them: exact, or a wildcard host that never escapes the host part.</summary>
public sealed class CorsOriginTests
{
    private static bool Allows(string pattern, string origin)
    {
        var matcher = CorsFilterTranslator.OriginMatcher(pattern);
        // The RE2 patterns we emit use only syntax .NET reads the same way.
        return matcher.Exact.Length > 0 ? matcher.Exact == origin : Regex.IsMatch(origin, "^(?:" + matcher.SafeRegex.Regex + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("https://*.example.org", "https://www.example.org", true)]
    [InlineData("https://*.example.org", "https://a.b.example.org", true)]
    [InlineData("https://*.example.org", "https://example.org.evil.com", false)]
    [InlineData("https://*.example.org", "http://www.example.org", false)]
    [InlineData("https://*.example.org", "https://www.example.org:8443", false)]
    [InlineData("https://*.example.org", "https://evil.com/.example.org", false)]
    [InlineData("http://*.test:8080", "http://app.test:8080", true)]
    [InlineData("https://www.example.com", "https://www.example.com", true)]
    [InlineData("https://www.example.com", "https://www.example.com.evil", false)]
    [InlineData("*", "https://anything.example", true)]
    public void OriginPatternsMatchAsTheSpecSays(string pattern, string origin, bool allowed) =>
        Assert.Equal(allowed, Allows(pattern, origin));
}
