using Envoy.Config.Bootstrap.V3;
using Envoy.Extensions.Filters.Http.DynamicModules.V3;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>
/// Every envoy-config/*.yaml parses strictly as an Envoy 1.40 Bootstrap (our proto subset, unknown
/// fields rejected, typed_config payloads included) and passes the EnvoyExt-specific checks.
/// </summary>
public class EnvoyConfigSchemaTests
{
    public static TheoryData<string> Files() => new(EnvoyConfigFiles.Names());

    [Fact]
    public void Both_bootstrap_files_are_covered()
    {
        // Guards against the theory silently running on nothing if the folder moves.
        Assert.Equal(["envoy-static.yaml", "xds-bootstrap.yaml"], EnvoyConfigFiles.Names().ToArray());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_parses_strictly_as_a_bootstrap(string file)
    {
        var bootstrap = EnvoyBootstrapSchema.ParseYaml(EnvoyConfigFiles.Read(file));

        Assert.NotNull(bootstrap.Admin?.Address?.SocketAddress);
        // Every Any in the file resolved to one of our messages (Unpack throws otherwise).
        Assert.NotEmpty(MessageWalker.Walk(bootstrap));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_passes_the_envoyext_checks(string file)
    {
        var bootstrap = EnvoyBootstrapSchema.ParseYaml(EnvoyConfigFiles.Read(file));

        Assert.Empty(EnvoyConfigChecks.Problems(bootstrap));
    }

    [Fact]
    public void Static_file_rate_limits_at_listener_and_route_level()
    {
        var bootstrap = EnvoyBootstrapSchema.ParseYaml(EnvoyConfigFiles.Read("envoy-static.yaml"));

        var levels = EnvoyConfigChecks.RateLimitConfigs(bootstrap).Select(c => c.Level).ToList();
        Assert.Equal(1, levels.Count(l => l == RateLimitConfigLevel.Listener));
        Assert.Equal(2, levels.Count(l => l == RateLimitConfigLevel.Route));
        var modules = MessageWalker.Walk(bootstrap)
            .Count(v => v.Message is DynamicModuleFilter or DynamicModuleFilterPerRoute);
        Assert.Equal(3, modules);
    }

    [Fact]
    public void Xds_bootstrap_reaches_the_controller_over_ads()
    {
        var bootstrap = EnvoyBootstrapSchema.ParseYaml(EnvoyConfigFiles.Read("xds-bootstrap.yaml"));

        var dynamic = bootstrap.DynamicResources;
        Assert.Equal("envoyext_controller", Assert.Single(dynamic.AdsConfig.GrpcServices).EnvoyGrpc.ClusterName);
        Assert.NotNull(dynamic.LdsConfig.Ads);
        Assert.NotNull(dynamic.CdsConfig.Ads);
        Assert.Equal(18000u, Assert.Single(bootstrap.StaticResources.Clusters)
            .LoadAssignment.Endpoints[0].LbEndpoints[0].Endpoint.Address.SocketAddress.PortValue);
    }
}
