using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Providers.Standalone;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Tests.Xds;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Tests.GatewayApi;

/// <summary>
/// Client-certificate validation (Gateway spec.tls.frontend) beyond what the golden cases pin: a
/// rotated CA bundle is an SDS change alone, and a CA reference that stops resolving takes the
/// listener out rather than serving it without the check.
/// </summary>
public sealed class ClientValidationTests
{
    private static readonly ResourceSet Input =
        StandaloneProvider.ReadFolder(Path.Combine(RepoPaths.XdsTestData, "client-validation", "input"));

    [Fact]
    public void A_rotated_ca_bundle_changes_only_its_sds_secret()
    {
        var before = Translate(Input);
        var rotated = Input with
        {
            ConfigMaps = Input.ConfigMaps.Select(c => c.Metadata.Name == "client-ca" ? c with { CaCertificate = NewCaPem() } : c).ToList(),
        };
        var after = Translate(rotated);

        Assert.NotEqual(before.Version(XdsTypeUrls.Secret), after.Version(XdsTypeUrls.Secret));
        foreach (var type in XdsTypeUrls.PushOrder.Where(t => t != XdsTypeUrls.Secret))
        {
            Assert.Equal(before.Version(type), after.Version(type));
        }

        // The ConfigMap backs the default validation (ports 443 and 9443); the 8443 override reads a Secret.
        var changed = after.Secrets.Where(s => !before.Secrets.Any(b => b.Name == s.Name && b.Packed.Value.Equals(s.Packed.Value))).Select(s => s.Name);
        Assert.Equal(["default/gw/client-ca/443", "default/gw/client-ca/9443"], changed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_ca_reference_that_stops_resolving_takes_its_listeners_out_instead_of_dropping_the_check()
    {
        var broken = Input with { ConfigMaps = [] };

        var result = GatewayApiTranslator.Translate(broken);

        var gateway = result.Ir.Gateways["default/gw"];
        // 443 (HTTPS) and 9443 (TLS) used the ConfigMap: gone. 8443 uses the Secret: still served, still checked.
        var served = gateway.HttpListeners.Select(l => l.Port).Concat((gateway.TcpListeners ?? []).Select(l => l.Port)).ToList();
        Assert.Equal([8443], served);
        Assert.All(gateway.HttpListeners.SelectMany(l => l.TlsChains!), c => Assert.Equal("default/gw/client-ca/8443", c.ClientValidation!.Name));
        var listeners = result.Status.Gateways.Single(g => g.Name == "gw").Listeners;
        foreach (var name in new[] { "https", "tls" })
        {
            var resolved = listeners.Single(l => l.Name == name).Conditions.Single(c => c.Type == "ResolvedRefs");
            Assert.Equal(("False", "InvalidCACertificateRef"), (resolved.Status, resolved.Reason));
        }
    }

    private static GatewayXdsResources Translate(ResourceSet resources) =>
        XdsTranslator.Translate(GatewayApiTranslator.Translate(resources).Ir)["default/gw"];

    private static string NewCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rotated client CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return certificate.ExportCertificatePem();
    }
}
