using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Resolves a policy's reference to a core Secret whose values a filter reads as SDS generic
/// secrets. A Secret in another namespace needs a ReferenceGrant there; errors name the field and
/// the Secret, never a value.
/// </summary>
internal sealed class GenericSecretResolver(ResourceIndex index)
{
    /// <summary>The Secret's data, or the error naming <paramref name="field"/>.</summary>
    /// <param name="fromKind">The referring kind (group gateway.envoyext.io), as a ReferenceGrant names it.</param>
    /// <param name="fromNamespace">The referring policy's namespace.</param>
    /// <param name="secretNamespace">The reference's namespace, or null for the policy's own.</param>
    /// <param name="secretName">The Secret's name.</param>
    /// <param name="field">The reference's field path, e.g. "spec.defaults.apiKey.credentialRefs[0]".</param>
    public (SecretData? Data, string? Error) Resolve(string fromKind, string fromNamespace, string? secretNamespace, string secretName, string field)
    {
        var ns = secretNamespace ?? fromNamespace;
        if (!index.IsReferenceAllowed(GroupNames.EnvoyExt, fromKind, fromNamespace, GroupNames.Core, "Secret", ns, secretName))
        {
            return (null, $"{field}: Secret {ns}/{secretName} is in another namespace and no ReferenceGrant there allows it");
        }

        var secret = index.Secret(ns, secretName);
        return secret is null
            ? (null, $"{field}: Secret {ns}/{secretName} does not exist")
            : (secret.Data, null);
    }

    /// <summary>
    /// The SDS name of a generic secret derived from a Secret for one purpose, e.g.
    /// ("api-keys", "default", "clients") -> "api-keys/default/clients". The purpose keeps two
    /// filters that read the same Secret differently from sharing a resource name.
    /// </summary>
    public static string SdsName(string purpose, string ns, string name) => $"{purpose}/{ns}/{name}";
}
