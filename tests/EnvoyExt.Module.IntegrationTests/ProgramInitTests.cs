using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

public class ProgramInitTests
{
    private readonly HostRunner _host = new();

    [Fact]
    public void Module_loads_and_reports_the_v1_40_abi_version()
    {
        var result = _host.Run(new Scenario([new FilterSpec("passthrough")], [RequestSpec.Get("/")]));

        Assert.True(result.ProgramInit.Loaded, result.Describe());
        Assert.Equal("v0.2.0", result.ProgramInit.AbiVersion);
        Assert.True(result.ProgramInit.VersionMatched, result.Describe());
        Assert.Empty(result.ConfigErrors);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Passthrough_forwards_request_and_response_unchanged()
    {
        var request = RequestSpec.Get("/plain", ("x-user", "alice")) with
        {
            Upstream = new UpstreamSpec(201, [("content-type", "text/plain")], ["hello"]),
        };
        var result = _host.Run(new Scenario([new FilterSpec("passthrough")], [request]));

        var r = Assert.Single(result.Results);
        Assert.Null(r.LocalReply);
        Assert.Equal("alice", r.UpstreamRequest!.Headers.Get("x-user"));
        Assert.Equal(201, r.DownstreamResponse!.Status);
        Assert.Equal("hello", r.DownstreamResponse.Body);
        Assert.False(r.Reset);
    }
}
