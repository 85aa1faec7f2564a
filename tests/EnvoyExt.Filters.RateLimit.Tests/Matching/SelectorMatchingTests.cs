using EnvoyExt.Filters.RateLimit.Tests.Support;
using static EnvoyExt.Filters.RateLimit.Tests.Support.Policies;

namespace EnvoyExt.Filters.RateLimit.Tests.Matching;

public class SelectorMatchingTests
{
    private readonly FakeClock _clock = new();

    private bool Match(string selectorJson, FakeRequest request) => Matches(OneRule(selectorJson, _clock), request);

    [Fact]
    public void ExactHeaderComparesBytesAndHeaderNamesIgnoreCase()
    {
        const string Selector = """{"headers":[{"name":"X-Org","type":"Exact","value":"acme"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x-org", "acme")));
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x-org", "Acme")));
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x-org", "acme ")));
        Assert.False(Match(Selector, new FakeRequest()));
    }

    [Fact]
    public void ARepeatedHeaderMatchesWhenAnyValueMatches()
    {
        const string Selector = """{"headers":[{"name":"x-org","type":"Exact","value":"acme"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x-org", "other").WithHeader("x-org", "acme")));
    }

    [Fact]
    public void InvertNegatesOneConditionAndAnAbsentHeaderSatisfiesIt()
    {
        const string Selector = """{"headers":[{"name":"x-org","type":"Exact","value":"acme","invert":true}]}""";
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x-org", "acme")));
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x-org", "globex")));
        Assert.True(Match(Selector, new FakeRequest()));
    }

    [Fact]
    public void RegularExpressionIsAFullMatch()
    {
        const string Selector = """{"headers":[{"name":"x-client","type":"RegularExpression","value":"mobile-[0-9]+"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x-client", "mobile-42")));
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x-client", "mobile-42x")));
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x-client", "my-mobile-42")));
    }

    [Fact]
    public void RegularExpressionAlternationStaysAnchored()
    {
        const string Selector = """{"headers":[{"name":"x","type":"RegularExpression","value":"a|b"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x", "b")));
        Assert.False(Match(Selector, new FakeRequest().WithHeader("x", "ab")));
    }

    [Fact]
    public void RegularExpressionSeesUtf8ValuesAsText()
    {
        const string Selector = """{"headers":[{"name":"x-city","type":"RegularExpression","value":"Z.rich"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithHeader("x-city", "Zürich")));
        string longValue = new string('a', 5000);
        Assert.True(Match("""{"headers":[{"name":"x","type":"RegularExpression","value":"a+"}]}""",
            new FakeRequest().WithHeader("x", longValue)));
    }

    [Fact]
    public void ConditionsInsideASelectorAreAndedAndSelectorsAreOred()
    {
        var policy = Policies.Compile("""
            {"rules":[{"clientSelectors":[
              {"headers":[{"name":"x-a","type":"Exact","value":"1"},{"name":"x-b","type":"Exact","value":"2"}]},
              {"methods":[{"value":"DELETE"}]}
            ],"limit":{"requests":100,"unit":"Second"}}]}
            """, _clock);
        Assert.True(Matches(policy, new FakeRequest().WithHeader("x-a", "1").WithHeader("x-b", "2")));
        Assert.False(Matches(policy, new FakeRequest().WithHeader("x-a", "1")));
        Assert.True(Matches(policy, new FakeRequest().WithMethod("DELETE")));
    }

    [Fact]
    public void MethodsAreOredAndInvertible()
    {
        const string Selector = """{"methods":[{"value":"POST"},{"value":"PUT"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithMethod("POST")));
        Assert.True(Match(Selector, new FakeRequest().WithMethod("PUT")));
        Assert.False(Match(Selector, new FakeRequest().WithMethod("GET")));
        Assert.False(Match(Selector, new FakeRequest().WithMethod("post")));
        const string NotGet = """{"methods":[{"value":"GET","invert":true}]}""";
        Assert.True(Match(NotGet, new FakeRequest().WithMethod("PATCH")));
        Assert.False(Match(NotGet, new FakeRequest().WithMethod("GET")));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", true)]
    [InlineData("/api/users/7", true)]
    [InlineData("/api?x=1", true)]
    [InlineData("/apix", false)]
    [InlineData("/ap", false)]
    [InlineData("/other/api", false)]
    public void PathPrefixMatchesWholeSegmentsAndIgnoresTheQuery(string path, bool expected)
    {
        Assert.Equal(expected, Match("""{"path":{"type":"PathPrefix","value":"/api"}}""", new FakeRequest().WithPath(path)));
        // A configured trailing slash means the same segment prefix.
        Assert.Equal(expected, Match("""{"path":{"type":"PathPrefix","value":"/api/"}}""", new FakeRequest().WithPath(path)));
    }

    [Fact]
    public void PathExactRegexAndInvert()
    {
        Assert.True(Match("""{"path":{"type":"Exact","value":"/login"}}""", new FakeRequest().WithPath("/login?next=/")));
        Assert.False(Match("""{"path":{"type":"Exact","value":"/login"}}""", new FakeRequest().WithPath("/login/")));
        Assert.True(Match("""{"path":{"type":"RegularExpression","value":"/users/[0-9]+"}}""", new FakeRequest().WithPath("/users/12?a=b")));
        Assert.False(Match("""{"path":{"type":"RegularExpression","value":"/users/[0-9]+"}}""", new FakeRequest().WithPath("/users/12/x")));
        Assert.False(Match("""{"path":{"type":"PathPrefix","value":"/health","invert":true}}""", new FakeRequest().WithPath("/health/live")));
        Assert.True(Match("""{"path":{"type":"PathPrefix","value":"/health","invert":true}}""", new FakeRequest().WithPath("/api")));
        Assert.True(Match("""{"path":{"type":"PathPrefix","value":"/"}}""", new FakeRequest().WithPath("/anything")));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3:5555", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1:5555", false)]
    [InlineData("10.0.0.0/8", "[::ffff:10.9.9.9]:80", true)]
    [InlineData("192.168.1.0/25", "192.168.1.127:1", true)]
    [InlineData("192.168.1.0/25", "192.168.1.128:1", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8:53", true)]
    [InlineData("0.0.0.0/0", "[2001:db8::1]:53", false)]
    [InlineData("2001:db8::/32", "[2001:db8:1::5]:443", true)]
    [InlineData("2001:db8::/32", "[2001:db9::5]:443", false)]
    [InlineData("2001:db8::/32", "10.0.0.1:443", false)]
    [InlineData("::/0", "[::1]:443", true)]
    [InlineData("fe80::/10", "[fe80::1%eth0]:443", true)]
    [InlineData("10.0.0.0/8", "not-an-address", false)]
    public void SourceCidrMatchesV4AndV6(string cidr, string source, bool expected)
    {
        Assert.Equal(expected, Match("""{"sourceCIDR":{"type":"Exact","value":"__"}}""".Replace("__", cidr), new FakeRequest().From(source)));
        Assert.Equal(!expected, Match("""{"sourceCIDR":{"type":"Exact","value":"__","invert":true}}""".Replace("__", cidr), new FakeRequest().From(source)));
    }

    [Fact]
    public void QueryParamsAreAndedPercentDecodedAndInvertible()
    {
        const string Selector = """{"queryParams":[{"name":"plan","type":"Exact","value":"free tier"},{"name":"v","type":"RegularExpression","value":"[12]"}]}""";
        Assert.True(Match(Selector, new FakeRequest().WithPath("/x?plan=free%20tier&v=2")));
        Assert.True(Match(Selector, new FakeRequest().WithPath("/x?v=3&v=1&plan=free%20tier")));
        Assert.False(Match(Selector, new FakeRequest().WithPath("/x?plan=free%20tier&v=3")));
        Assert.False(Match(Selector, new FakeRequest().WithPath("/x?plan=free%20tier")));
        Assert.False(Match(Selector, new FakeRequest().WithPath("/x?plans=free%20tier&v=1")));
        Assert.False(Match(Selector, new FakeRequest().WithPath("/x")));
        const string Inverted = """{"queryParams":[{"name":"debug","type":"Exact","value":"1","invert":true}]}""";
        Assert.True(Match(Inverted, new FakeRequest().WithPath("/x")));
        Assert.False(Match(Inverted, new FakeRequest().WithPath("/x?debug=1")));
    }

    [Fact]
    public void DistinctRequiresTheValueToBePresent()
    {
        Assert.True(Match("""{"headers":[{"name":"x-user","type":"Distinct"}]}""", new FakeRequest().WithHeader("x-user", "")));
        Assert.False(Match("""{"headers":[{"name":"x-user","type":"Distinct"}]}""", new FakeRequest()));
        Assert.True(Match("""{"queryParams":[{"name":"key","type":"Distinct"}]}""", new FakeRequest().WithPath("/?key")));
        Assert.False(Match("""{"queryParams":[{"name":"key","type":"Distinct"}]}""", new FakeRequest().WithPath("/?other=1")));
        Assert.False(Match("""{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8"}}""", new FakeRequest().From("11.0.0.1:1")));
    }

    [Theory]
    [InlineData("""{"headers":[{"name":"x-user","type":"Distinct"}]}""")]
    [InlineData("""{"queryParams":[{"name":"user","type":"Distinct"}]}""")]
    [InlineData("""{"sourceCIDR":{"type":"Distinct","value":"10.0.0.0/8"}}""")]
    public void DistinctGivesEveryValueItsOwnBucket(string selector)
    {
        var policy = OneRule(selector, _clock); // 1 request per hour per value
        FakeRequest Client(string who, int ip) =>
            new FakeRequest().WithHeader("x-user", who).WithPath("/?user=" + who).From($"10.0.0.{ip}:1234");
        Assert.False(Decide(policy, Client("alice", 1)).Limited);
        Assert.True(Decide(policy, Client("alice", 1)).Limited);
        Assert.False(Decide(policy, Client("bob", 2)).Limited);
        Assert.True(Decide(policy, Client("bob", 2)).Limited);
    }

    [Fact]
    public void DistinctKeyCombinesEveryDistinctValueOfTheSelector()
    {
        var policy = OneRule("""{"headers":[{"name":"x-a","type":"Distinct"},{"name":"x-b","type":"Distinct"}]}""", _clock);
        Assert.False(Decide(policy, new FakeRequest().WithHeader("x-a", "ab").WithHeader("x-b", "c")).Limited);
        // Same concatenation "abc" but a different split: a different client.
        Assert.False(Decide(policy, new FakeRequest().WithHeader("x-a", "a").WithHeader("x-b", "bc")).Limited);
        Assert.True(Decide(policy, new FakeRequest().WithHeader("x-a", "ab").WithHeader("x-b", "c")).Limited);
    }

    [Fact]
    public void NonDistinctSelectorsShareTheRuleBucket()
    {
        var policy = OneRule("""{"headers":[{"name":"x-org","type":"Exact","value":"acme"}]}""", _clock);
        Assert.False(Decide(policy, new FakeRequest().WithHeader("x-org", "acme").WithHeader("x-user", "a")).Limited);
        Assert.True(Decide(policy, new FakeRequest().WithHeader("x-org", "acme").WithHeader("x-user", "b")).Limited);
    }
}
