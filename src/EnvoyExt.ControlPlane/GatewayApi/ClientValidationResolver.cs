using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Resolves the client-certificate validation (Gateway spec.tls.frontend) that applies to a
/// terminating listener's port: the caCertificateRefs (ConfigMaps or Secrets, key ca.crt) become
/// one PEM bundle delivered over SDS. Any reference that does not resolve fails the listener
/// (fail closed): serving without the check would let in clients the Gateway's owner meant to refuse.
/// </summary>
internal sealed class ClientValidationResolver(ResourceIndex index)
{
    /// <summary>PEM bundles larger than this are refused (a CA bundle of a few hundred certificates fits).</summary>
    public const int MaxBundleBytes = 1024 * 1024;

    // Parsing a bundle costs far more than a lookup; a ConfigMap shared by many ports is checked once.
    private readonly Dictionary<string, string?> _problems = new(StringComparer.Ordinal);

    /// <summary>The validation of one port, its reason and message when a reference is bad, or nothing when none applies.</summary>
    public ClientValidationResolution Resolve(Gateway gateway, int port)
    {
        var validation = gateway.FrontendTls?.For(port);
        if (validation is null)
        {
            return ClientValidationResolution.None;
        }

        var perPort = gateway.FrontendTls!.PerPort.ToList().FindIndex(p => p.Port == port);
        var field = perPort >= 0
            ? $"spec.tls.frontend.perPort[{perPort}].tls.validation.caCertificateRefs"
            : "spec.tls.frontend.default.validation.caCertificateRefs";
        var bundle = new System.Text.StringBuilder();
        for (var i = 0; i < validation.CaCertificateRefs.Count; i++)
        {
            var reference = validation.CaCertificateRefs[i];
            var at = $"{field}[{i}]";
            if (reference.Group != GroupNames.Core || reference.Kind is not ("ConfigMap" or "Secret"))
            {
                return ClientValidationResolution.Failed(Reasons.InvalidCACertificateKind,
                    $"{at}: kind {reference.Kind} in group \"{reference.Group}\" is not supported; only core ConfigMaps and Secrets are");
            }

            var ns = reference.Namespace ?? gateway.Metadata.Namespace;
            var key = $"{reference.Kind} {ns}/{reference.Name}";
            if (!index.IsReferenceAllowed(GroupNames.GatewayApi, "Gateway", gateway.Metadata.Namespace, GroupNames.Core, reference.Kind, ns, reference.Name))
            {
                return ClientValidationResolution.Failed(Reasons.RefNotPermitted, $"{at}: {key} is in another namespace and no ReferenceGrant there allows it");
            }

            var pem = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name)?.CaCertificate : index.Secret(ns, reference.Name)?.CaCertificate;
            var exists = reference.Kind == "ConfigMap" ? index.ConfigMap(ns, reference.Name) is not null : index.Secret(ns, reference.Name) is not null;
            if (!exists)
            {
                return ClientValidationResolution.Failed(Reasons.InvalidCACertificateRef, $"{at}: {key} does not exist");
            }

            if (!_problems.TryGetValue(key, out var problem))
            {
                _problems[key] = problem = Check(pem);
            }

            if (problem is not null)
            {
                return ClientValidationResolution.Failed(Reasons.InvalidCACertificateRef, $"{at}: {key} {problem}");
            }

            bundle.Append(pem!.TrimEnd()).Append('\n');
        }

        if (bundle.Length > MaxBundleBytes)
        {
            return ClientValidationResolution.Failed(Reasons.InvalidCACertificateRef, $"{field}: the CA bundle is larger than {MaxBundleBytes} bytes");
        }

        var name = $"{gateway.Metadata.Key}/client-ca/{port}";
        var bundleResource = new IrCaBundle(name, bundle.ToString(), validation.Mode == ClientValidation.AllowInsecureFallback);
        return new ClientValidationResolution(bundleResource, null, null);
    }

    /// <summary>Why a ca.crt cannot serve as a CA bundle, or null when it holds at least one certificate (BackendTLSPolicy checks its bundles the same way).</summary>
    internal static string? Check(string? pem)
    {
        if (pem is null)
        {
            return "has no ca.crt";
        }

        if (pem.Length > MaxBundleBytes)
        {
            return $"ca.crt is larger than {MaxBundleBytes} bytes";
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            var found = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return found == 0 ? "holds no PEM certificate in ca.crt" : null;
        }
        catch (CryptographicException)
        {
            return "holds no valid PEM certificate in ca.crt";
        }
    }
}

/// <summary>The CA bundle of a port, or why it cannot be used; neither when the port asks for no client certificate.</summary>
internal sealed record ClientValidationResolution(IrCaBundle? Bundle, string? Reason, string? Message)
{
    public static ClientValidationResolution None { get; } = new(null, null, null);

    public bool Succeeded => Reason is null;

    public static ClientValidationResolution Failed(string reason, string message) => new(null, reason, message);
}
