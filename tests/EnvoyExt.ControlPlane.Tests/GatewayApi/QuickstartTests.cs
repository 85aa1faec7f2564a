using System.Runtime.CompilerServices;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>The demo's input must translate cleanly: every condition positive and the per-user limit on the orders route.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public void QuickstartIsFullyAccepted()
    {
        var (result, conditions) = ExampleFolder.TranslateFullyAccepted("quickstart");
        Assert.NotEmpty(conditions);

        var gateway = result.Ir.Gateways["default/quickstart"];
        var routes = gateway.HttpListeners.Single().VirtualHosts.Single(v => v.Domains.Contains("quickstart.example.com")).Routes;
        var orders = routes.Single(r => r.Name == "httproute/default/api/rule/0/match/0");
        var json = RateLimitConfigJson.Serialize(orders.Filters.Get(IrFeatures.RateLimit)!);
        Assert.Contains("\"per-user\"", json, StringComparison.Ordinal);
        Assert.Contains("\"global\"", json, StringComparison.Ordinal);
        Assert.Null(routes.Single(r => r.Name == "httproute/default/api/rule/1/match/0").Filters.Get(IrFeatures.RateLimit));
        Assert.Equal(new IrEndpoint("127.0.0.1", 9001), gateway.Clusters.Single(c => c.Name == "default/orders/80").Endpoints.Single());
    }
}

/// <summary>examples/https must translate cleanly: HTTPS with its certificate over SDS, the redirect on HTTP, the rate limit on HTTPS.</summary>
public sealed class HttpsExampleTests
{
    [Fact]
    public void HttpsExampleIsFullyAccepted()
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted("https");
        Assert.Equal(2, result.Status.Routes.Count);

        var gateway = result.Ir.Gateways["default/https"];
        Assert.Equal("default/https-example-com", Assert.Single(gateway.Secrets!).Name);
        var https = gateway.HttpListeners.Single(l => l.Port == 8443);
        var chain = Assert.Single(https.TlsChains!);
        Assert.Equal("https.example.com", chain.Hostname);
        Assert.Equal(["default/https-example-com"], chain.SecretNames);
        var web = https.VirtualHosts.Single().Routes.Single();
        Assert.NotNull(web.Filters.Get(IrFeatures.RateLimit));

        var http = gateway.HttpListeners.Single(l => l.Port == 8080);
        Assert.Null(http.TlsChains);
        var redirect = Assert.IsType<IrRedirect>(http.VirtualHosts.Single().Routes.Single().Action);
        Assert.Equal("https", redirect.Scheme);
        Assert.Equal(8443, redirect.Port);
    }
}

/// <summary>examples/tls-passthrough and examples/tcp must translate cleanly into weighted TCP proxies.</summary>
public sealed class StreamExampleTests
{
    private static IrGateway Translate(string folder, string gateway)
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted(folder);
        Assert.Single(result.Status.Routes);
        return result.Ir.Gateways[gateway];
    }

    [Fact]
    public void TlsPassthroughExampleRoutesBySni()
    {
        var listener = Assert.Single(Translate("tls-passthrough", "default/passthrough").TcpListeners!);
        Assert.True(listener.InspectsTls);
        var chain = Assert.Single(listener.Chains);
        Assert.Equal(["api.example.com"], chain.ServerNames);
        Assert.Equal([new IrWeightedCluster("default/api-v1/443", 90), new IrWeightedCluster("default/api-v2/443", 10)], chain.Backends);
    }

    [Fact]
    public void TcpExampleSplitsConnections()
    {
        var gateway = Translate("tcp", "default/tcp");
        var listener = Assert.Single(gateway.TcpListeners!);
        Assert.False(listener.InspectsTls);
        Assert.Equal(5432, listener.Port);
        var chain = Assert.Single(listener.Chains);
        Assert.Null(chain.ServerNames);
        Assert.Equal([new IrWeightedCluster("default/db-a/5432", 3), new IrWeightedCluster("default/db-b/5432", 1)], chain.Backends);
        Assert.Equal(2, gateway.Clusters.Count);
    }
}

/// <summary>Reads a folder of examples/ and checks it translates cleanly: no problems, every condition positive.</summary>
internal static class ExampleFolder
{
    public static (TranslationResult Result, IReadOnlyList<Condition> Conditions) TranslateFullyAccepted(string name)
    {
        var result = GatewayApiTranslator.Translate(StandaloneProvider.ReadFolder(Path.Combine(RepoExamples(), name)));
        Assert.Empty(result.Status.Problems);
        var conditions = result.Status.Gateways.SelectMany(g => g.Conditions.Concat(g.Listeners.SelectMany(l => l.Conditions)))
            .Concat(result.Status.Routes.SelectMany(r => r.Parents).SelectMany(p => p.Conditions))
            .Concat(result.Status.Policies.SelectMany(p => p.Ancestors).SelectMany(a => a.Conditions))
            .ToList();
        Assert.All(conditions, c => Assert.True(c.Type == "Conflicted" ? c.Status == "False" : c.Status == "True", $"{c.Type}={c.Status} {c.Reason}: {c.Message}"));
        return (result, conditions);
    }

    private static string RepoExamples([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples"));
}
