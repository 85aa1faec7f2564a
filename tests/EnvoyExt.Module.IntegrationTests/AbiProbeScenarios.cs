using EnvoyExt.Module.IntegrationTests.Harness;

namespace EnvoyExt.Module.IntegrationTests;

/// <summary>Shared scenario shapes for the abi_probe filter (see tests/EnvoyExt.TestModule/Diagnostics/AbiProbeFilter.cs).</summary>
internal static class AbiProbeScenarios
{
    public static FilterSpec Probe(string tag = "listener") => new("abi_probe", $$"""{"tag":"{{tag}}"}""");

    public static Scenario Single(RequestSpec request, int workers = 1) => new([Probe()], [request], Workers: workers);

    public static RequestResult RunOne(this HostRunner host, RequestSpec request)
    {
        var result = host.Run(Single(request));
        Assert.True(result.ProgramInit.Loaded, result.Describe());
        Assert.Empty(result.ConfigErrors);
        return Assert.Single(result.Results);
    }
}
