using EnvoyExt.ControlPlane.GatewayApi;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>Gateway API hostname rules (wildcards cover one or more labels, never the bare parent).</summary>
public sealed class HostnamesTests
{
    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "*.a.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "aexample.com", false)]
    [InlineData("*.a.example.com", "*.example.com", false)]
    [InlineData("a.example.com", "*.example.com", false)]
    [InlineData("a.example.com", "a.example.com", true)]
    [InlineData(null, "anything.org", true)]
    [InlineData("*", "*.example.com", true)]
    public void Covers(string? pattern, string host, bool expected) =>
        Assert.Equal(expected, Hostnames.Covers(pattern, host));

    [Theory]
    [InlineData(null, new string[0], new[] { "*" })]
    [InlineData("foo.example.com", new string[0], new[] { "foo.example.com" })]
    [InlineData("*.example.com", new[] { "a.example.com", "example.com", "other.org" }, new[] { "a.example.com" })]
    [InlineData("*.example.com", new[] { "*.com" }, new[] { "*.example.com" })]
    [InlineData("foo.example.com", new[] { "*.example.com" }, new[] { "foo.example.com" })]
    [InlineData("foo.example.com", new[] { "*.org", "bar.example.com" }, new string[0])]
    [InlineData(null, new[] { "A.Example.com" }, new[] { "a.example.com" })]
    public void Intersect(string? listener, string[] route, string[] expected) =>
        Assert.Equal(expected, Hostnames.Intersect(listener, route));

    [Fact]
    public void SpecificityOrdersExactThenLongerWildcardsThenAny()
    {
        var ordered = new[] { "*", "*.example.com", "a.example.com", "*.a.example.com", "b.c" }
            .OrderByDescending(Hostnames.Specificity)
            .ToArray();

        Assert.Equal(new[] { "a.example.com", "b.c", "*.a.example.com", "*.example.com", "*" }, ordered);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("exa mple.com", false)]
    [InlineData("-bad.example.com", false)]
    [InlineData("a.*.example.com", false)]
    [InlineData("", false)]
    public void IsValid(string host, bool expected) => Assert.Equal(expected, Hostnames.IsValid(host));
}
