using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Cluster.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// examples/backend-tls must translate cleanly: a TLS cluster with the policy's SNI whose CA comes
/// over SDS, the CORS policy and the backend's own header. Translation level only: the ABI host has
/// no sockets, so the handshake is Envoy's.
/// </summary>
public sealed class BackendTlsExampleTests
{
    [Fact]
    public void BackendTlsExampleIsFullyAccepted()
    {
        var (result, _) = ExampleFolder.TranslateFullyAccepted("backend-tls");
        var policy = Assert.Single(result.Status.Policies, p => p.Kind == "BackendTLSPolicy");
        Assert.All(Assert.Single(policy.Ancestors).Conditions, c => Assert.Equal("True", c.Status));

        var gateway = result.Ir.Gateways["default/backend-tls"];
        var xds = XdsTranslator.TranslateGateway(gateway);
        var cluster = (Cluster)xds.Clusters.Single(c => c.Name == "default/api/443").Message;
        var tls = cluster.TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>();
        Assert.Equal("api.internal.example.com", tls.Sni);
        Assert.Equal("default/api-tls/backend-ca", tls.CommonTlsContext.ValidationContextSdsSecretConfig.Name);

        var secret = (Secret)xds.Secrets.Single(s => s.Name == "default/api-tls/backend-ca").Message;
        var san = Assert.Single(secret.ValidationContext.MatchTypedSubjectAltNames);
        Assert.Equal("api.internal.example.com", san.Matcher.Exact);

        // The bundle Envoy gets is the CA that signed the example backend's certificate.
        using var serverCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(RepoPaths.Root, "examples", "backend-tls", "backend", "server.crt")));
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(secret.ValidationContext.TrustedCa.InlineString);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(serverCertificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        foreach (var authority in authorities)
        {
            authority.Dispose();
        }

        var route = gateway.HttpListeners.Single().VirtualHosts.Single(v => v.Domains.Contains("api.example.com")).Routes.Single();
        var cors = route.Filters.Get(IrFeatures.Cors)!;
        Assert.Equal(["https://app.example.com"], cors.AllowOrigins);
        Assert.True(cors.AllowCredentials);
        var backend = Assert.Single(Assert.IsType<IrForward>(route.Action).Backends);
        Assert.Equal([new IrHeaderMutation(HeaderMutationKind.Set, "x-gateway", "envoyext")], backend.RequestHeaderMutations);
    }
}
