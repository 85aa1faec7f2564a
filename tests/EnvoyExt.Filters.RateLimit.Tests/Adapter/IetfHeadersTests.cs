using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;
using EnvoyExt.Filters.RateLimit.Tests.Support;

namespace EnvoyExt.Filters.RateLimit.Tests.Adapter;

/// <summary>The IETF RateLimit / RateLimit-Policy headers, alone or beside the draft-03 x-ratelimit-* ones.</summary>
[Collection("FakeEnvoy")]
public sealed class IetfHeadersTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new RateLimitFilterFactory(new FakeClock()));

    public void Dispose() => _envoy.Dispose();

    private static string Config(string format) => """
        {"name":"default/api","rules":[{"name":"per \"user\"","limit":{"requests":2,"unit":"Minute"}}],
         "response":{"rateLimitHeadersFormat":"FORMAT"}}
        """.Replace("FORMAT", format, StringComparison.Ordinal);

    private FakeStream Request(FakeFilterConfig config)
    {
        var stream = _envoy.NewStream(config);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/").Add(":authority", "example.com");
        return stream;
    }

    [Fact]
    public void IETF_format_sends_the_structured_fields_only()
    {
        var config = _envoy.CreateConfig("rate_limit", Config("IETF"));
        using var stream = Request(config);
        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());
        stream.ResponseHeaders.Add(":status", "200");
        stream.SendResponseHeaders();

        Assert.Equal("\"per \\\"user\\\"\";q=2;w=60", stream.ResponseHeaders.Get("ratelimit-policy"));
        Assert.Equal("\"per \\\"user\\\"\";r=1;t=60", stream.ResponseHeaders.Get("ratelimit"));
        Assert.Null(stream.ResponseHeaders.Get("x-ratelimit-limit"));
    }

    [Fact]
    public void Both_formats_go_on_the_limited_reply()
    {
        var config = _envoy.CreateConfig("rate_limit", Config("Both"));
        for (int i = 0; i < 2; i++)
        {
            using var allowed = Request(config);
            allowed.SendRequestHeaders();
        }
        using var limited = Request(config);
        Assert.Equal(HeadersStatus.StopIteration, limited.SendRequestHeaders());

        var reply = limited.LocalReply!;
        Assert.Equal("0", reply.Header("x-ratelimit-remaining"));
        Assert.Equal("\"per \\\"user\\\"\";r=0;t=60", reply.Header("ratelimit"));
        Assert.Equal("\"per \\\"user\\\"\";q=2;w=60", reply.Header("ratelimit-policy"));
    }
}
