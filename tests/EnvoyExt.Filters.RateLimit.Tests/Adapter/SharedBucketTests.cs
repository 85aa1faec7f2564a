using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Adapter;

/// <summary>
/// <c>shared</c> buckets: rules of the listener-level document and of per-route documents (different policies)
/// that name the same bucket charge it together, per listener; other listeners have their own.
/// </summary>
[Collection("FakeEnvoy")]
public sealed class SharedBucketTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new RateLimitFilterFactory(new FakeClock()));

    public void Dispose() => _envoy.Dispose();

    private static string Policy(string name, int requests, string shared = "org-quota", string selectors = "") => $$$"""
        {"name":"{{{name}}}","rules":[{"name":"quota",{{{selectors}}}"shared":"{{{shared}}}","limit":{"requests":{{{requests}}},"unit":"Hour"}}]}
        """;

    private bool Passes(FakeFilterConfig config, FakeRouteConfig? route = null, string? user = null)
    {
        using var stream = _envoy.NewStream(config, route);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/").Add(":authority", "example.com");
        if (user is not null)
        {
            stream.RequestHeaders.Add("x-user", user);
        }
        return stream.SendRequestHeaders() == HeadersStatus.Continue;
    }

    [Fact]
    public void The_listener_document_and_per_route_documents_charge_one_bucket()
    {
        var listener = _envoy.CreateConfig("rate_limit", Policy("gateway", 5));
        var chat = _envoy.CreateRouteConfig("rate_limit", Policy("default/chat", 5));
        var embed = _envoy.CreateRouteConfig("rate_limit", Policy("default/embed", 5));

        Assert.True(Passes(listener));
        Assert.True(Passes(listener, chat));
        Assert.True(Passes(listener, embed));
        Assert.True(Passes(listener, chat));
        Assert.True(Passes(listener, embed));

        Assert.False(Passes(listener));
        Assert.False(Passes(listener, chat));
        Assert.False(Passes(listener, embed));
        Assert.Equal(1UL, _envoy.Metric("rate_limit_limited", "default/chat", "quota"));
    }

    [Fact]
    public void Another_listener_has_its_own_shared_buckets()
    {
        var first = _envoy.CreateConfig("rate_limit", """{"rules":[]}""");
        var second = _envoy.CreateConfig("rate_limit", """{"rules":[]}""");
        var route = _envoy.CreateRouteConfig("rate_limit", Policy("default/chat", 2));

        Assert.True(Passes(first, route));
        Assert.True(Passes(first, route));
        Assert.False(Passes(first, route));

        Assert.True(Passes(second, route));
        Assert.True(Passes(second, route));
        Assert.False(Passes(second, route));
    }

    [Fact]
    public void Different_names_are_different_buckets()
    {
        var listener = _envoy.CreateConfig("rate_limit", Policy("gateway", 1, shared: "a"));
        var route = _envoy.CreateRouteConfig("rate_limit", Policy("default/chat", 1, shared: "b"));

        Assert.True(Passes(listener));
        Assert.True(Passes(listener, route));
        Assert.False(Passes(listener, route));
    }

    [Fact]
    public void Distinct_values_share_their_buckets_across_documents()
    {
        const string Selectors = """ "clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}], """;
        var listener = _envoy.CreateConfig("rate_limit", Policy("gateway", 2, selectors: Selectors));
        var route = _envoy.CreateRouteConfig("rate_limit", Policy("default/chat", 2, selectors: Selectors));

        Assert.True(Passes(listener, user: "alice"));
        Assert.True(Passes(listener, route, user: "alice"));
        Assert.False(Passes(listener, route, user: "alice"));
        Assert.False(Passes(listener, user: "alice"));

        Assert.True(Passes(listener, route, user: "bob"));
        Assert.True(Passes(listener, user: "bob"));
    }

    [Fact]
    public void Across_documents_the_first_definition_of_a_bucket_wins()
    {
        var listener = _envoy.CreateConfig("rate_limit", Policy("gateway", 2));
        // Says 100 an hour, but the listener's document defined "org-quota" first: 2 an hour for both.
        var route = _envoy.CreateRouteConfig("rate_limit", Policy("default/chat", 100));

        Assert.True(Passes(listener, route));
        Assert.True(Passes(listener, route));
        Assert.False(Passes(listener, route));
        Assert.False(Passes(listener));
    }

    [Fact]
    public void Rules_without_shared_keep_their_own_buckets_in_a_document_that_has_shared_ones()
    {
        var listener = _envoy.CreateConfig("rate_limit", """{"rules":[]}""");
        var route = _envoy.CreateRouteConfig("rate_limit", """
            {"name":"default/chat","rules":[{"name":"mine","limit":{"requests":1,"unit":"Hour"}},
              {"name":"org","shared":"org-quota","limit":{"requests":10,"unit":"Hour"}}]}
            """);
        var other = _envoy.CreateRouteConfig("rate_limit", Policy("default/embed", 10));

        Assert.True(Passes(listener, route));
        Assert.False(Passes(listener, route));
        // The route's private rule limited it; the shared bucket was charged once (by the first request).
        for (int i = 0; i < 9; i++)
        {
            Assert.True(Passes(listener, other));
        }
        Assert.False(Passes(listener, other));
    }
}
