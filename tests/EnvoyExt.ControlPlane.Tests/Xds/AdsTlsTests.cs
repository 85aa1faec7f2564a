using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;
using static EnvoyExt.ControlPlane.Tests.Xds.IrBuilder;

namespace EnvoyExt.ControlPlane.Tests.Xds;

/// <summary>ADS over TLS with certificate and key given as PEM files, as the serve command takes them.</summary>
public sealed class AdsTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("envoyext-xds-tls-").FullName;

    [Fact]
    public async Task Serves_ads_over_tls_with_pem_certificate_and_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=envoyext-controller", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(_dir, "tls.crt");
        var keyFile = Path.Combine(_dir, "tls.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        var cache = new XdsSnapshotCache();
        new XdsPublisher(cache, new XdsMetrics()).Publish(
            SimpleGateway([Route("httproute/default/r/rule/0/match/0", Match(), Forward(("default/svc/80", 1)))], [Cluster("default/svc/80")]), null);
        await using var host = await XdsServerHost.StartAsync(
            new XdsServerOptions { Address = new IPEndPoint(IPAddress.Loopback, 0), TlsCertFile = certFile, TlsKeyFile = keyFile },
            cache, new XdsMetrics(), new XdsStreamRegistry(), logging => { });
        Assert.Equal("https", host.Address.Scheme);

        // Trust exactly our certificate (pinning), the way an Envoy bootstrap would with its CA.
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
        await using var client = new AdsTestClient(host.Address, "default/gw", handler: handler);
        await client.SendAsync(XdsTypeUrls.Cluster);
        var cds = await client.ExpectAsync(XdsTypeUrls.Cluster);
        Assert.Equal("default/svc/80", cds.Resources.Single().Unpack<Envoy.Config.Cluster.V3.Cluster>().Name);
    }

    [Fact]
    public async Task Missing_key_file_is_an_error_naming_the_flag()
    {
        var options = new XdsServerOptions { Address = new IPEndPoint(IPAddress.Loopback, 0), TlsCertFile = Path.Combine(_dir, "none.crt"), TlsKeyFile = Path.Combine(_dir, "none.key") };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => XdsServerHost.StartAsync(options, new XdsSnapshotCache(), new XdsMetrics(), new XdsStreamRegistry(), logging => { }));
        Assert.Contains("--xds-tls-cert", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
