using Envoy.Config.Listener.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.XdsTranslation;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;
using SensitiveText = EnvoyExt.ControlPlane.Resources.SensitiveText;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>
/// Certificates over SDS on the ADS stream: an HTTPS listener names its secret, the client fetches
/// it by name, and a rotated certificate reaches the client as an SDS update of that secret alone,
/// with no listener re-sent (a listener update would drain connections).
/// </summary>
public sealed class SdsTests
{
    private const string Gw = "default/gw";
    private const string Backend = "default/backend/8080";
    private const string SecretName = "default/site-cert";

    private static IrSnapshot Https(string certificate, string key, string prefix = "/")
    {
        var route = Route("httproute/default/app/rule/0/match/0", Match(Prefix(prefix)), Forward((Backend, 1)));
        var listener = Listener("default/gw/www", 8443, null, VHost("default/gw/www/www.example.com", ["www.example.com"], route))
            with
        { TlsChains = [new IrTlsChain("www.example.com", [SecretName])] };
        var gateway = Gateway("default", "gw", [listener], Cluster(Backend, ("10.0.0.1", 8080)))
            with
        { Secrets = [new IrSecret(SecretName, certificate, new SensitiveText(key))] };
        return Snapshot(gateway);
    }

    [Fact]
    public async Task A_rotated_certificate_is_pushed_as_that_secret_alone()
    {
        await using var server = await AdsServerFixture.StartAsync(Https("CERT-1", "KEY-1"));
        await using var client = server.Connect(Gw);
        var sync = await client.SyncAsync();

        // The listener names the secret over ADS and carries no certificate itself.
        var listener = sync.Lds.Resources.Single().Unpack<Listener>();
        var context = listener.FilterChains.Single().TransportSocket.TypedConfig.Unpack<DownstreamTlsContext>();
        var reference = context.CommonTlsContext.TlsCertificateSdsSecretConfigs.Single();
        Assert.Equal(SecretName, reference.Name);
        Assert.NotNull(reference.SdsConfig.Ads);
        Assert.DoesNotContain("KEY-1", sync.Lds.Resources.Single().Value.ToStringUtf8(), StringComparison.Ordinal);

        await client.SendAsync(XdsTypeUrls.Secret, [SecretName]);
        var first = await client.ExpectAsync(XdsTypeUrls.Secret);
        var served = first.Resources.Single().Unpack<Secret>();
        Assert.Equal("CERT-1", served.TlsCertificate.CertificateChain.InlineString);
        Assert.Equal("KEY-1", served.TlsCertificate.PrivateKey.InlineString);
        await client.AckAsync(first, [SecretName]);

        server.Publisher.Publish(Https("CERT-2", "KEY-2"), null);
        var rotated = await client.ExpectAsync(XdsTypeUrls.Secret);
        Assert.NotEqual(first.VersionInfo, rotated.VersionInfo);
        Assert.Equal("KEY-2", rotated.Resources.Single().Unpack<Secret>().TlsCertificate.PrivateKey.InlineString);
        Assert.Equal(sync.Lds.VersionInfo, server.Cache.Get(Gw)!.Version(XdsTypeUrls.Listener));
        await client.AckAsync(rotated, [SecretName]);

        // A later route change is the very next response: no listener was pushed after the rotation.
        server.Publisher.Publish(Https("CERT-2", "KEY-2", "/v2"), null);
        await client.ExpectAsync(XdsTypeUrls.Route);
    }

    /// <summary>Two chains, each with its own certificate, so one can rotate while the other stays.</summary>
    private static IrSnapshot TwoCertificates(string wwwCertificate, string prefix = "/")
    {
        var route = Route("httproute/default/app/rule/0/match/0", Match(Prefix(prefix)), Forward((Backend, 1)));
        var listener = Listener("default/gw/www", 8443, null,
                VHost("default/gw/www/www.example.com", ["www.example.com"], route) with { Chain = "www.example.com" },
                VHost("default/gw/www/api.example.com", ["api.example.com"], route) with { Chain = "api.example.com" })
            with
        { TlsChains = [new IrTlsChain("www.example.com", [SecretName]), new IrTlsChain("api.example.com", ["default/api-cert"])] };
        var gateway = Gateway("default", "gw", [listener], Cluster(Backend, ("10.0.0.1", 8080)))
            with
        { Secrets = [new IrSecret("default/api-cert", "API-CERT", new SensitiveText("API-KEY")), new IrSecret(SecretName, wwwCertificate, new SensitiveText("WWW-KEY"))] };
        return Snapshot(gateway);
    }

    [Fact]
    public async Task Over_delta_ads_a_rotated_certificate_is_pushed_as_that_secret_alone()
    {
        var initial = TwoCertificates("WWW-CERT-1");
        var routeNames = XdsTranslator.Translate(initial)[Gw].Routes.Select(r => r.Name).ToList();
        await using var server = await AdsServerFixture.StartAsync(initial);
        await using var client = new DeltaAdsTestClient(server.Host.Address, Gw);

        await client.SendAsync(XdsTypeUrls.Secret, [SecretName, "default/api-cert"]);
        var sds = await client.ExpectAsync(XdsTypeUrls.Secret);
        Assert.Equal(["default/api-cert", SecretName], sds.Resources.Select(r => r.Name).Order(StringComparer.Ordinal));
        await client.AckAsync(sds);
        await client.SendAsync(XdsTypeUrls.Listener);
        var lds = await client.ExpectAsync(XdsTypeUrls.Listener);
        await client.AckAsync(lds);
        await client.SendAsync(XdsTypeUrls.Route, routeNames);
        var rds = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.Equal(routeNames.Order(StringComparer.Ordinal), rds.Resources.Select(r => r.Name).Order(StringComparer.Ordinal));
        await client.AckAsync(rds);

        server.Publisher.Publish(TwoCertificates("WWW-CERT-2"), null);
        var rotated = await client.ExpectAsync(XdsTypeUrls.Secret);
        var only = Assert.Single(rotated.Resources);
        Assert.Equal(SecretName, only.Name);
        Assert.Equal("WWW-CERT-2", only.Resource_.Unpack<Secret>().TlsCertificate.CertificateChain.InlineString);
        Assert.Empty(rotated.RemovedResources);
        await client.AckAsync(rotated);

        // A later route change is the very next response: no listener was pushed after the rotation.
        server.Publisher.Publish(TwoCertificates("WWW-CERT-2", "/v2"), null);
        var routes = await client.ExpectAsync(XdsTypeUrls.Route);
        Assert.NotEmpty(routes.Resources);
    }

    [Fact]
    public void A_listener_naming_a_secret_that_is_not_served_is_inconsistent()
    {
        var ir = Https("CERT", "KEY").Gateways[Gw] with { Secrets = null };
        var problems = XdsTranslator.TranslateGateway(ir).Problems;
        Assert.Contains(problems, p => p.Contains("fetches secret \"default/site-cert\", which does not exist", StringComparison.Ordinal));
    }
}
