using EnvoyExt.ControlPlane.GatewayApi;
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

/// <summary>
/// examples/auth must translate cleanly: a JWT (HMAC keys from a Secret) with a scope rule and the subject
/// copied to a header on /orders, limited per subject; API keys on /reports; /health unchecked.
/// </summary>
public sealed class AuthExampleTests
{
    [Fact]
    public void AuthExampleIsFullyAccepted()
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted("auth");
        var gateway = result.Ir.Gateways["default/auth"];
        var routes = gateway.HttpListeners.Single().VirtualHosts.Single().Routes;

        var orders = routes.Single(r => r.Name == "httproute/default/shop/rule/0/match/0");
        var jwt = orders.Filters.Get(IrFeatures.Auth)!.Config.Jwt!;
        Assert.Equal("auth-jwks/default/jwt-keys", jwt.Jwks!.Secret);
        Assert.Equal("x-jwt-sub", Assert.Single(jwt.ClaimsToHeaders!).Header);
        Assert.Equal("x-jwt-sub", orders.Filters.Get(IrFeatures.RateLimit)!.Rules![0].ClientSelectors![0].Headers![0].Name);

        var reports = routes.Single(r => r.Name == "httproute/default/shop/rule/1/match/0");
        Assert.Equal("auth-api-keys/default/api-keys", reports.Filters.Get(IrFeatures.Auth)!.Config.ApiKey!.Secret);
        Assert.True(routes.Single(r => r.Name == "httproute/default/shop/rule/2/match/0").Filters.IsEmpty);

        Assert.Equal(["auth-api-keys/default/api-keys", "auth-jwks/default/jwt-keys"], gateway.GenericSecrets!.Select(s => s.Name));
        Assert.DoesNotContain("rk-5f0c2b7e9a41d3c8", TranslationJson.Serialize(result), StringComparison.Ordinal);
    }
}
