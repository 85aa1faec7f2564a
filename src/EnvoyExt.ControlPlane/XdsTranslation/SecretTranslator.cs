using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using EnvoyExt.ControlPlane.Ir;

namespace EnvoyExt.ControlPlane.XdsTranslation;

/// <summary>
/// IR certificate or generic secret -> SDS Secret. Listeners name secrets and never carry them, so rotating a
/// certificate changes this resource alone and Envoy swaps it without draining listeners.
/// </summary>
internal static class SecretTranslator
{
    public static Secret Translate(IrSecret secret) => new()
    {
        Name = secret.Name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineString = secret.CertificateChain },
            PrivateKey = new DataSource { InlineString = secret.PrivateKey.Reveal() },
        },
    };

    /// <summary>A generic secret; its bytes go inline in the SDS resource, the only place they appear.</summary>
    public static Secret Translate(IrGenericSecret secret) => new()
    {
        Name = secret.Name,
        GenericSecret = new GenericSecret { Secret = new DataSource { InlineString = secret.Value.Reveal() } },
    };

    /// <summary>A client-certificate CA bundle -> SDS Secret holding a validation context.</summary>
    public static Secret Translate(IrCaBundle bundle) => new()
    {
        Name = bundle.Name,
        ValidationContext = new CertificateValidationContext
        {
            TrustedCa = new DataSource { InlineString = bundle.Pem },
            TrustChainVerification = bundle.AcceptUntrusted
                ? CertificateValidationContext.Types.TrustChainVerification.AcceptUntrusted
                : CertificateValidationContext.Types.TrustChainVerification.VerifyTrustChain,
        },
    };

    /// <summary>
    /// A BackendTLSPolicy validation context -> SDS Secret: the trusted CAs (inline bundle or a file on
    /// the Envoy host) and the subject alternative names, any one of which the backend's certificate must carry.
    /// </summary>
    public static Secret Translate(IrBackendValidation validation)
    {
        var context = new CertificateValidationContext
        {
            TrustedCa = validation.TrustedCaFile is { } file ? new DataSource { Filename = file } : new DataSource { InlineString = validation.Pem ?? "" },
        };
        foreach (var name in validation.SubjectAltNames)
        {
            context.MatchTypedSubjectAltNames.Add(new SubjectAltNameMatcher
            {
                SanType = name.Kind == SubjectAltNameKind.Dns ? SubjectAltNameMatcher.Types.SanType.Dns : SubjectAltNameMatcher.Types.SanType.Uri,
                Matcher = new Envoy.Type.Matcher.V3.StringMatcher { Exact = name.Value },
            });
        }

        return new Secret { Name = validation.Name, ValidationContext = context };
    }

    /// <summary>
    /// A copy of an SDS secret with its private key replaced, for every JSON view of the resources
    /// (translate output, golden files, the admin dump); the bytes sent to Envoy keep the key.
    /// </summary>
    public static Secret Redacted(Secret secret)
    {
        var copy = secret.Clone();
        if (copy.TlsCertificate?.PrivateKey is not null)
        {
            copy.TlsCertificate.PrivateKey = new DataSource { InlineString = Resources.SensitiveText.Redacted };
        }

        if (copy.GenericSecret?.Secret is not null)
        {
            copy.GenericSecret.Secret = new DataSource { InlineString = Resources.SensitiveText.Redacted };
        }

        return copy;
    }
}
