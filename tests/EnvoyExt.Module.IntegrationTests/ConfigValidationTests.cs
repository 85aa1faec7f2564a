using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>config_new returns NULL for bad configs and the log names the field, so Envoy keeps the old config.</summary>
public class ConfigValidationTests
{
    private readonly HostRunner _host = new();

    private HostResult RunWith(FilterSpec filter) => _host.Run(new Scenario([filter], [RequestSpec.Get("/")]));

    [Theory]
    [InlineData("abi_probe", """{"tag":5}""", "abi_probe: invalid filter config: tag: must be a string")]
    [InlineData("abi_probe", """{"nope":"x"}""", "abi_probe: invalid filter config: nope: unknown field")]
    [InlineData("abi_probe", """{"tag":""", "abi_probe: invalid filter config: $: invalid JSON")]
    [InlineData("abi_probe", "[1]", "abi_probe: invalid filter config: $: must be a JSON object")]
    [InlineData("rate_limit", """{"rules":[{"limit":{"requests":-1,"unit":"Minute"}}]}""", "rate_limit: invalid filter config: rules[0].limit.requests: must be >= 1")]
    [InlineData("rate_limit", """{"rules":[],"bogus":1}""", "rate_limit: invalid filter config: bogus: unknown field")]
    [InlineData("test_throw", """{"hook":"sideways"}""", "test_throw: invalid filter config: hook: unknown hook 'sideways'")]
    [InlineData("test_throw", "{}", "test_throw: invalid filter config: hook: required")]
    [InlineData("test_throw", """{"hook":"request_headers","when_header":""}""", "test_throw: invalid filter config: when_header: must not be empty")]
    public void Invalid_filter_config_is_rejected_with_the_field_named(string filter, string config, string expectedLog)
    {
        var result = RunWith(new FilterSpec(filter, config));

        Assert.True(result.ProgramInit.Loaded, result.Describe());
        Assert.Contains(result.ConfigErrors, e => e.FilterName == filter && e.Route is null);
        Assert.True(result.LogContains(expectedLog), $"expected log '{expectedLog}'\n{result.Describe()}");
        // The chain runs without the rejected filter, as Envoy keeps the old configuration.
        Assert.Equal(200, Assert.Single(result.Results).DownstreamResponse!.Status);
    }

    [Fact]
    public void Unknown_filter_name_is_rejected()
    {
        var result = RunWith(new FilterSpec("no_such_filter", "{}"));

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "no_such_filter");
        Assert.True(result.LogContains("unknown filter_name 'no_such_filter'"), result.Describe());
    }

    [Fact]
    public void Invalid_per_route_config_is_rejected_for_that_route()
    {
        var scenario = new Scenario([AbiProbeScenarios.Probe()], [RequestSpec.Get("/bad/x")],
            Routes: [new RouteSpec("bad", "/bad", new Dictionary<string, string> { ["abi_probe"] = """{"tag":true}""" })]);

        var result = _host.Run(scenario);

        Assert.Contains(result.ConfigErrors, e => e.FilterName == "abi_probe" && e.Route == "bad");
        Assert.True(result.LogContains("abi_probe: invalid per-route config: tag: must be a string"), result.Describe());
    }
}
