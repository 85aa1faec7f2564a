using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class HeaderRoundTripTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Request_header_set_add_remove_reach_the_upstream()
    {
        var r = _host.RunOne(RequestSpec.Get("/h",
            ("x-probe-set", "set-value"),
            ("x-probe-multi", "first"),
            ("x-probe-add", "second"),
            ("x-drop-me", "gone"),
            ("x-probe-remove", "x-drop-me")));

        var upstream = r.UpstreamRequest!.Headers;
        Assert.Equal("set-value", upstream.Get("x-probe-was-set"));
        Assert.Equal(["first", "second"], upstream.All("x-probe-multi"));
        Assert.False(upstream.Has("x-drop-me"), upstream.ToString());
    }

    [Fact]
    public void Setting_an_empty_value_keeps_the_header_instead_of_removing_it()
    {
        // The ABI removes a header when the value pointer is NULL; an empty value must not do that.
        var r = _host.RunOne(RequestSpec.Get("/h", ("x-probe-set", "")));

        Assert.True(r.UpstreamRequest!.Headers.Has("x-probe-was-set"), r.UpstreamRequest.Headers.ToString());
        Assert.Equal("", r.UpstreamRequest.Headers.Get("x-probe-was-set"));
    }

    [Fact]
    public void Get_all_indexing_and_enumeration_see_every_value()
    {
        var r = _host.RunOne(RequestSpec.Get("/h", ("x-probe-multi", "a"), ("x-probe-multi", "b"), ("x-probe-multi", "c")));

        var response = r.DownstreamResponse!.Headers;
        Assert.Equal("3", response.Get("x-probe-multi-count"));
        Assert.Equal("a,b,c", response.Get("x-probe-multi-values"));
        // At least 4 pseudo-headers + 3 x-probe-multi (a host may add its own), the same by size and by enumeration.
        var size = int.Parse(response.Get("x-probe-request-header-count")!);
        Assert.True(size >= 7, response.ToString());
        Assert.Equal(size.ToString(), response.Get("x-probe-enumerated"));
    }

    [Fact]
    public void Values_with_CR_LF_are_refused_by_the_sdk()
    {
        var r = _host.RunOne(RequestSpec.Get("/h", ("x-probe-invalid-value", "1")));

        Assert.Equal("true", r.DownstreamResponse!.Headers.Get("x-probe-invalid-rejected"));
        Assert.False(r.UpstreamRequest!.Headers.Has("x-probe-invalid"));
        Assert.False(r.UpstreamRequest.Headers.Has("x-injected"));
    }

    [Fact]
    public void Response_headers_are_set_and_removed_before_reaching_downstream()
    {
        var request = RequestSpec.Get("/h", ("x-probe-resp-remove", "x-secret")) with
        {
            Upstream = new UpstreamSpec(200, [("x-secret", "s3cr3t"), ("x-keep", "k")], ["ok"]),
        };
        var r = _host.RunOne(request);

        var response = r.DownstreamResponse!.Headers;
        Assert.Equal("1", response.Get("x-probe-response"));
        Assert.Equal("k", response.Get("x-keep"));
        Assert.False(response.Has("x-secret"), response.ToString());
    }

    [Fact]
    public void Request_and_response_trailers_round_trip()
    {
        var request = RequestSpec.Post("/t", ["body"], ("x-probe-trailer-set", "tv"), ("x-probe-resp-trailer-remove", "x-drop")) with
        {
            Trailers = [("x-remove-me", "1"), ("x-stay", "2")],
            Upstream = new UpstreamSpec(200, [], ["r"], [("x-upstream-trailer", "u"), ("x-drop", "d")]),
        };
        var r = _host.RunOne(request);

        var upstreamTrailers = r.UpstreamRequest!.Trailers;
        Assert.Equal("tv", upstreamTrailers.Get("x-probe-trailer"));
        Assert.Equal("2", upstreamTrailers.Get("x-stay"));
        Assert.False(upstreamTrailers.Has("x-remove-me"), upstreamTrailers.ToString());

        Assert.Equal("2", r.DownstreamResponse!.Headers.Get("x-probe-request-trailer-count"));

        var downstreamTrailers = r.DownstreamResponse.Trailers;
        Assert.Equal("1", downstreamTrailers.Get("x-probe-resp-trailer"));
        Assert.Equal("2", downstreamTrailers.Get("x-probe-resp-trailer-seen"));
        Assert.Equal("u", downstreamTrailers.Get("x-upstream-trailer"));
        Assert.False(downstreamTrailers.Has("x-drop"), downstreamTrailers.ToString());
    }
}
