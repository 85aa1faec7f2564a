using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class BodyRoundTripTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Request_body_is_read_across_frames_and_appended_to()
    {
        var r = _host.RunOne(RequestSpec.Post("/b", ["abc", "def"], ("x-probe-req-body-append", "+tail")));

        Assert.Equal("abcdef+tail", r.UpstreamRequest!.Body);
        Assert.Equal("6", r.DownstreamResponse!.Headers.Get("x-probe-request-body-bytes"));
    }

    [Fact]
    public void Request_body_can_be_replaced_after_buffering()
    {
        var r = _host.RunOne(RequestSpec.Post("/b", ["one ", "two ", "three"], ("x-probe-req-body-replace", "replaced")));

        Assert.Equal("replaced", r.UpstreamRequest!.Body);
        Assert.Equal("13", r.DownstreamResponse!.Headers.Get("x-probe-request-body-bytes"));
    }

    [Fact]
    public void Response_body_is_appended_to_before_reaching_downstream()
    {
        var request = RequestSpec.Get("/b", ("x-probe-resp-body-append", "!")) with
        {
            Upstream = new UpstreamSpec(200, [], ["hello ", "world"]),
        };
        var r = _host.RunOne(request);

        Assert.Equal("hello world!", r.DownstreamResponse!.Body);
    }

    [Fact]
    public void Untouched_bodies_pass_through_unchanged()
    {
        var request = RequestSpec.Post("/b", ["x", "y"]) with { Upstream = new UpstreamSpec(200, [], ["p", "q"]) };
        var r = _host.RunOne(request);

        Assert.Equal("xy", r.UpstreamRequest!.Body);
        Assert.Equal("pq", r.DownstreamResponse!.Body);
    }
}
