using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.DynamicModules.Testing;

namespace EnvoyExt.Filters.SetHeader.Tests;

/// <summary>set_header through the testing library's fake Envoy: request and response side, per-route override.</summary>
[Collection("FakeEnvoy")]
public sealed class SetHeaderFilterTests : IDisposable
{
    private readonly FakeEnvoy _envoy = new(new SetHeaderFilterFactory());

    public void Dispose() => _envoy.Dispose();

    private FakeStream Stream(FakeFilterConfig config, FakeRouteConfig? route = null)
    {
        var stream = _envoy.NewStream(config, route);
        stream.RequestHeaders.Add(":method", "GET").Add(":path", "/").Add("x-env", "client-said");
        stream.ResponseHeaders.Add(":status", "200");
        return stream;
    }

    [Fact]
    public void Sets_request_headers_replacing_what_the_client_sent()
    {
        var config = _envoy.CreateConfig("set_header", """{"headers":[{"name":"x-env","value":"prod"},{"name":"x-team","value":"payments"}]}""");
        using var stream = Stream(config);

        Assert.Equal(HeadersStatus.Continue, stream.SendRequestHeaders());

        Assert.Equal(["prod"], stream.RequestHeaders.GetAll("x-env"));
        Assert.Equal("payments", stream.RequestHeaders.Get("x-team"));
        Assert.Equal("GET", stream.RequestHeaders.Get(":method"));
    }

    [Fact]
    public void Sets_response_headers_only_on_the_response()
    {
        var config = _envoy.CreateConfig("set_header", """{"responseHeaders":[{"name":"cache-control","value":"no-store"}]}""");
        using var stream = Stream(config);

        stream.SendRequestHeaders();
        Assert.Null(stream.RequestHeaders.Get("cache-control"));
        Assert.Equal(HeadersStatus.Continue, stream.SendResponseHeaders());

        Assert.Equal("no-store", stream.ResponseHeaders.Get("cache-control"));
        Assert.Equal("client-said", stream.RequestHeaders.Get("x-env"));
    }

    [Fact]
    public void A_route_override_replaces_the_listener_document_on_both_sides()
    {
        var config = _envoy.CreateConfig("set_header",
            """{"headers":[{"name":"x-env","value":"prod"}],"responseHeaders":[{"name":"x-from","value":"listener"}]}""");
        var route = _envoy.CreateRouteConfig("set_header", """{"responseHeaders":[{"name":"x-from","value":"route"}]}""");

        using (var onRoute = Stream(config, route))
        {
            onRoute.SendRequestHeaders();
            onRoute.SendResponseHeaders();
            Assert.Equal("client-said", onRoute.RequestHeaders.Get("x-env")); // the route sets no request header
            Assert.Equal("route", onRoute.ResponseHeaders.Get("x-from"));
        }
        using var elsewhere = Stream(config);
        elsewhere.SendRequestHeaders();
        elsewhere.SendResponseHeaders();
        Assert.Equal("prod", elsewhere.RequestHeaders.Get("x-env"));
        Assert.Equal("listener", elsewhere.ResponseHeaders.Get("x-from"));
    }

    [Fact]
    public void The_next_stream_on_a_reused_filter_picks_its_own_route_again()
    {
        var config = _envoy.CreateConfig("set_header", """{"responseHeaders":[{"name":"x-from","value":"listener"}]}""");
        var route = _envoy.CreateRouteConfig("set_header", """{"responseHeaders":[{"name":"x-from","value":"route"}]}""");
        using (var onRoute = Stream(config, route))
        {
            onRoute.SendRequestHeaders();
        }
        // A local reply answers this stream before its request headers reach the filter.
        using var replied = Stream(config);
        replied.SendResponseHeaders();

        Assert.Equal("listener", replied.ResponseHeaders.Get("x-from"));
    }

    [Theory]
    [InlineData("""[]""", "set_header: invalid filter config: $: must be a JSON object")]
    [InlineData("""{"headers":{}}""", "set_header: invalid filter config: headers: must be an array")]
    [InlineData("""{"header":[]}""", "set_header: invalid filter config: header: unknown field (expected headers, responseHeaders)")]
    [InlineData("""{"headers":[{"value":"1"}]}""", "set_header: invalid filter config: headers[0].name: required")]
    [InlineData("""{"headers":[{"name":"x-a"}]}""", "set_header: invalid filter config: headers[0].value: required")]
    [InlineData("""{"headers":[{"name":"x-a","value":1}]}""", "set_header: invalid filter config: headers[0].value: must be a string")]
    [InlineData("""{"headers":[{"name":"x-a","value":"1","side":"x"}]}""", "set_header: invalid filter config: headers[0].side: unknown field (expected name, value)")]
    [InlineData("""{"headers":[{"name":"x-a","value":"1\r\nx-evil: 1"}]}""", "set_header: invalid filter config: headers[0].value: must not contain CR, LF or NUL")]
    [InlineData("""{"responseHeaders":[{"name":"x-a","value":"ok"},{"name":"x-b","value":"a\u0000b"}]}""", "set_header: invalid filter config: responseHeaders[1].value: must not contain CR, LF or NUL")]
    [InlineData("""{"headers":[{"name":"x-a\nx-b","value":"1"}]}""", "set_header: invalid filter config: headers[0].name: must not contain CR, LF or NUL")]
    [InlineData("""{"headers":[{"name":"X-Upper","value":"1"}]}""", "set_header: invalid filter config: headers[0].name: 'X-Upper' is not a lower-case HTTP header name")]
    [InlineData("""{"headers":[{"name":":path","value":"/"}]}""", "set_header: invalid filter config: headers[0].name: ':path' is a pseudo-header")]
    [InlineData("""{"headers":[{"name":"","value":"1"}]}""", "set_header: invalid filter config: headers[0].name: must not be empty")]
    [InlineData("""{"headers":[{"name":"x-a","value":"1"},{"name":"x-a","value":"2"}]}""", "set_header: invalid filter config: headers[1].name: 'x-a' is already set by headers[0]")]
    public void Invalid_documents_are_rejected_with_the_field_named(string config, string expected)
    {
        Assert.Null(_envoy.TryCreateConfig("set_header", config, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Invalid_per_route_documents_are_rejected_with_the_field_named_too()
    {
        Assert.Null(_envoy.TryCreateRouteConfig("set_header", """{"headers":[{"name":"x-a","value":"\r"}]}""", out var error));
        Assert.Equal("set_header: invalid per-route config: headers[0].value: must not contain CR, LF or NUL", error);
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        var many = string.Join(",", Enumerable.Range(0, 33).Select(i => $$"""{"name":"x-{{i}}","value":"v"}"""));
        Assert.Null(_envoy.TryCreateConfig("set_header", $$"""{"headers":[{{many}}]}""", out var error));
        Assert.Equal("set_header: invalid filter config: headers: at most 32 entries (got 33)", error);

        var huge = new string('v', 8193);
        Assert.Null(_envoy.TryCreateConfig("set_header", $$"""{"headers":[{"name":"x-a","value":"{{huge}}"}]}""", out error));
        Assert.Equal("set_header: invalid filter config: headers[0].value: at most 8192 bytes (got 8193)", error);
    }

    [Fact]
    public void Invalid_json_is_rejected()
    {
        Assert.Null(_envoy.TryCreateConfig("set_header", """{"headers":[""", out var error));
        Assert.StartsWith("set_header: invalid filter config: $: invalid JSON", error);
    }
}

/// <summary>Fake Envoys install the SDK's process-wide callback table: keep these tests serial.</summary>
[CollectionDefinition("FakeEnvoy", DisableParallelization = true)]
public sealed class FakeEnvoyCollection;
