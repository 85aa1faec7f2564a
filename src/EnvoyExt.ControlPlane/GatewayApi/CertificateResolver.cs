using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Resolves a terminating listener's certificateRefs to kubernetes.io/tls Secrets whose certificate
/// and key parse and belong together. Any bad reference fails the whole listener (ResolvedRefs=False):
/// serving with a subset of the certificates would answer some SNI names with the wrong one.
/// Problem messages name the Secret and what is wrong, never its content.
/// </summary>
internal sealed class CertificateResolver(ResourceIndex index)
{
    // Parsing a certificate and key costs a fraction of a millisecond; a Secret referenced by many
    // listeners is checked once per translation.
    private readonly Dictionary<string, string?> _problems = new(StringComparer.Ordinal);

    /// <summary>The listener's certificates as IR secrets (SDS names "&lt;namespace&gt;/&lt;name&gt;"), or the reason and message of the first bad one.</summary>
    public CertificateResolution Resolve(Gateway gateway, ListenerTls tls)
    {
        if (tls.CertificateRefs.Count == 0)
        {
            return CertificateResolution.Failed(Reasons.InvalidCertificateRef, "tls.certificateRefs: a terminating listener needs at least one certificate");
        }

        var secrets = new List<IrSecret>(tls.CertificateRefs.Count);
        for (var i = 0; i < tls.CertificateRefs.Count; i++)
        {
            var reference = tls.CertificateRefs[i];
            var field = $"tls.certificateRefs[{i}]";
            if (reference.Group != GroupNames.Core || reference.Kind != "Secret")
            {
                return CertificateResolution.Failed(Reasons.InvalidCertificateRef, $"{field}: kind {reference.Kind} in group \"{reference.Group}\" is not supported; only core Secrets are");
            }

            var ns = reference.Namespace ?? gateway.Metadata.Namespace;
            if (!index.IsReferenceAllowed(GroupNames.GatewayApi, "Gateway", gateway.Metadata.Namespace, GroupNames.Core, "Secret", ns, reference.Name))
            {
                return CertificateResolution.Failed(Reasons.RefNotPermitted, $"{field}: Secret {ns}/{reference.Name} is in another namespace and no ReferenceGrant there allows it");
            }

            var secret = index.Secret(ns, reference.Name);
            if (secret is null)
            {
                return CertificateResolution.Failed(Reasons.InvalidCertificateRef, $"{field}: Secret {ns}/{reference.Name} does not exist");
            }

            var key = ns + "/" + reference.Name;
            if (!_problems.TryGetValue(key, out var problem))
            {
                _problems[key] = problem = Check(secret);
            }

            if (problem is not null)
            {
                return CertificateResolution.Failed(Reasons.InvalidCertificateRef, $"{field}: Secret {key} {problem}");
            }

            if (secrets.All(s => s.Name != key))
            {
                secrets.Add(new IrSecret(key, secret.TlsCertificate!, secret.TlsKey!));
            }
        }

        return new CertificateResolution(secrets, null, null);
    }

    private static string? Check(Secret secret)
    {
        if (secret.Type != "kubernetes.io/tls")
        {
            return $"has type \"{secret.Type}\"; a certificate must be of type kubernetes.io/tls";
        }

        if (secret.TlsCertificate is null || secret.TlsKey is null)
        {
            return "lacks tls.crt or tls.key";
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(secret.TlsCertificate, secret.TlsKey.Reveal());
            return null;
        }
        catch (CryptographicException)
        {
            return "holds no PEM certificate and matching private key in tls.crt and tls.key";
        }
        catch (ArgumentException)
        {
            return "holds no PEM certificate and matching private key in tls.crt and tls.key";
        }
    }
}

/// <summary>Either the certificates or why they cannot be used.</summary>
internal sealed record CertificateResolution(IReadOnlyList<IrSecret> Secrets, string? Reason, string? Message)
{
    public bool Succeeded => Reason is null;

    public static CertificateResolution Failed(string reason, string message) => new([], reason, message);
}
