using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>The set_header sample filter (docs/filters/set-header.md) through the real libenvoyext.so and the ABI host.</summary>
public class SetHeaderEndToEndTests
{
    private readonly HostRunner _host = HostRunner.Production();

    [Fact]
    public void Sets_request_and_response_headers_and_a_route_overrides_them()
    {
        const string Listener = """{"headers":[{"name":"x-env","value":"prod"}],"responseHeaders":[{"name":"x-served-by","value":"edge"}]}""";
        const string Route = """{"responseHeaders":[{"name":"x-served-by","value":"admin-route"}]}""";
        var scenario = new Scenario([new FilterSpec("set_header", Listener)],
            [RequestSpec.Get("/app", ("x-env", "spoofed")), RequestSpec.Get("/admin/users", ("x-env", "spoofed"))],
            Routes: [new RouteSpec("admin", "/admin", new Dictionary<string, string> { ["set_header"] = Route })]);

        var result = _host.Run(scenario);

        Assert.Empty(result.ConfigErrors);
        var app = result.Results[0];
        Assert.Equal(["prod"], app.UpstreamRequest!.Headers.All("x-env"));
        Assert.Equal("edge", app.DownstreamResponse!.Headers.Get("x-served-by"));
        var admin = result.Results[1];
        Assert.Equal(["spoofed"], admin.UpstreamRequest!.Headers.All("x-env"));
        Assert.Equal("admin-route", admin.DownstreamResponse!.Headers.Get("x-served-by"));
    }

    [Fact]
    public void An_invalid_document_is_rejected_with_the_field_named()
    {
        var result = _host.Run(new Scenario([new FilterSpec("set_header", """{"headers":[{"name":"x-a","value":"a\r\nb"}]}""")],
            [RequestSpec.Get("/")]));

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "set_header");
        Assert.True(result.LogContains("set_header: invalid filter config: headers[0].value: must not contain CR, LF or NUL"), result.Describe());
    }
}
