using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EnvoyExt.Module.IntegrationTests.Harness;

/// <summary>A fresh private CA, valid for a day, that issues one TLS server certificate; tests trust it through its PEM file.</summary>
internal static class TestCertificateAuthority
{
    /// <summary>Writes the CA certificate as PEM to <paramref name="caFile"/> and returns a server certificate (with its key) for <paramref name="serverName"/>.</summary>
    public static X509Certificate2 IssueServerCertificate(string serverName, string caFile)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EnvoyExt test JWKS CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(caFile, ca.ExportCertificatePem());

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={serverName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serverName);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = leaf.CopyWithPrivateKey(leafKey);
        // SslStream on Linux wants a certificate whose key it can hand to OpenSSL: a PKCS#12 round trip.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
