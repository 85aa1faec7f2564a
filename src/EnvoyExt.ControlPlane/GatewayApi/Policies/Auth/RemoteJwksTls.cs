using System.Text;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>
/// TLS from Envoy to the server of an https:// JWKS URL, as Envoy Gateway's remote JWKS does: the
/// URL's host is the SNI and the name the server's certificate must carry; the certificate chain is
/// checked against the system trust store, or against the <c>caCertificateRefs</c> bundles (ConfigMaps
/// or Secrets holding ca.crt, in the policy's namespace, as BackendTLSPolicy reads them). A Service
/// port that a BackendTLSPolicy covers keeps that policy's TLS instead (see ClusterRegistry.RegisterTls).
/// </summary>
internal static class RemoteJwksTls
{
    /// <summary>At most this many CA references per JWKS.</summary>
    public const int MaxCaCertificateRefs = 8;

    /// <summary>The remote's URL when it is an absolute https:// URL, else null (plain http, or invalid: AuthSections reports that).</summary>
    public static Uri? HttpsUri(RemoteJwksSection remote) =>
        Uri.TryCreate(remote.Uri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;

    /// <summary>The TLS an https JWKS URL needs, or the error below <paramref name="field"/> (<c>...jwks.remote</c>).</summary>
    public static (IrUpstreamTls? Tls, string? Error) Resolve(RemoteJwksSection remote, Uri uri, string policyKey, string field, ResourceIndex index)
    {
        var host = uri.IdnHost;
        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.Basic) || EnvoyStrings.PreciseHostname(host) is not null)
        {
            return (null, $"{field}.uri: an https:// URL needs a host name (the SNI and the name its certificate must carry), got \"{host}\"");
        }

        var names = new List<IrSubjectAltName> { new(SubjectAltNameKind.Dns, host) };
        var name = $"{policyKey}/jwks-ca";
        var refs = remote.CaCertificateRefs ?? [];
        if (refs.Count == 0)
        {
            return (new IrUpstreamTls(host, new IrBackendValidation(name, null, BackendTlsPolicyResolver.SystemTrustBundle, names)), null);
        }

        if (refs.Count > MaxCaCertificateRefs)
        {
            return (null, $"{field}.caCertificateRefs: at most {MaxCaCertificateRefs} references");
        }

        var ns = policyKey[..policyKey.IndexOf('/', StringComparison.Ordinal)];
        var bundle = new StringBuilder();
        for (var i = 0; i < refs.Count; i++)
        {
            var reference = refs[i];
            var at = $"{field}.caCertificateRefs[{i}]";
            if (!string.IsNullOrEmpty(reference.Group) || reference.Kind is not ("ConfigMap" or "Secret"))
            {
                return (null, $"{at}: kind {reference.Kind} in group \"{reference.Group}\" is not supported; only core ConfigMaps and Secrets are");
            }

            if (string.IsNullOrEmpty(reference.Name))
            {
                return (null, $"{at}.name: required");
            }

            var exists = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name) is not null : index.Secret(ns, reference.Name) is not null;
            var pem = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name)?.CaCertificate : index.Secret(ns, reference.Name)?.CaCertificate;
            if (!exists)
            {
                return (null, $"{at}: {reference.Kind} {ns}/{reference.Name} does not exist");
            }

            if (ClientValidationResolver.Check(pem) is { } problem)
            {
                return (null, $"{at}: {reference.Kind} {ns}/{reference.Name} {problem}");
            }

            bundle.Append(pem!.TrimEnd()).Append('\n');
        }

        return bundle.Length > ClientValidationResolver.MaxBundleBytes
            ? (null, $"{field}.caCertificateRefs: the CA bundle is larger than {ClientValidationResolver.MaxBundleBytes} bytes")
            : (new IrUpstreamTls(host, new IrBackendValidation(name, bundle.ToString(), null, names)), null);
    }
}
