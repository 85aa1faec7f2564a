using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>examples/ext-auth must translate cleanly: an HTTP check, a gRPC check over an HTTP/2 cluster, an unchecked rule.</summary>
public sealed class ExtAuthExampleTests
{
    [Fact]
    public void ExtAuthExampleIsFullyAccepted()
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted("ext-auth");
        var gateway = result.Ir.Gateways["default/ext-auth"];
        var routes = gateway.HttpListeners.Single().VirtualHosts.Single().Routes;

        var api = routes.Single(r => r.Name == "httproute/default/shop/rule/0/match/0").Filters.Get(IrFeatures.ExtAuth)?.Config;
        Assert.NotNull(api);
        Assert.Equal("http", api.Protocol);
        Assert.Equal("default/authz-http/80", api.Cluster);
        Assert.Equal("/check", api.PathPrefix);
        Assert.Equal(["x-user-id"], api.HeadersToBackend!);

        var admin = routes.Single(r => r.Name == "httproute/default/shop/rule/1/match/0").Filters.Get(IrFeatures.ExtAuth)?.Config;
        Assert.NotNull(admin);
        Assert.Equal("grpc", admin.Protocol);
        Assert.Equal(4096, admin.MaxRequestBytes);
        Assert.Equal(IrUpstreamProtocol.Http2, gateway.Clusters.Single(c => c.Name == "default/authz-grpc/50051").Protocol);

        Assert.Null(routes.Single(r => r.Name == "httproute/default/shop/rule/2/match/0").Filters.Get(IrFeatures.ExtAuth));
    }
}
