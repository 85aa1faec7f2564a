using System.Text;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>
/// Resolves what an AuthPolicy block references: Services (the auth service, a JWKS host) become
/// clusters, Secrets become SDS generic secrets in the format the auth filter reads. Another namespace
/// needs a ReferenceGrant there. Errors name the field and the object, never a secret's value.
/// </summary>
internal static class AuthReferences
{
    public const string Kind = "AuthPolicy";

    /// <summary>The Secret entry holding htpasswd lines (as Envoy Gateway's basic auth reads it).</summary>
    public const string HtpasswdKey = ".htpasswd";

    /// <summary>The Secret entry holding a JWKS document (HMAC keys).</summary>
    public const string JwksKey = "jwks";

    /// <summary>Most API keys one Secret may hold (the filter's bound).</summary>
    public const int MaxApiKeys = 10000;

    /// <summary>Checks every reference of a block; the first problem, or null.</summary>
    public static string? Check(AuthBlock block, string ns, string field, PolicyContext context)
    {
        if (block.ExtAuth is { BackendRef: { } backend } extAuth)
        {
            if (Cluster(backend, ns, $"{field}.extAuth.backendRef", extAuth.Protocol == "GRPC", context).Error is { } error)
            {
                return error;
            }
        }

        var authn = block.Authentication;
        return (authn?.ApiKey?.SecretRef is { } keys ? ApiKeys(keys, ns, $"{field}.authentication.apiKey.secretRef", context).Error : null)
            ?? (authn?.BasicAuth?.SecretRef is { } htpasswd ? Entry("auth-htpasswd", HtpasswdKey, htpasswd, ns, $"{field}.authentication.basicAuth.secretRef", context).Error : null)
            ?? (authn?.Jwt?.Jwks?.SecretRef is { } jwks ? Entry("auth-jwks", JwksKey, jwks, ns, $"{field}.authentication.jwt.jwks.secretRef", context).Error : null)
            ?? (authn?.Jwt?.Jwks?.Remote?.BackendRef is { } jwksHost ? Cluster(jwksHost, ns, $"{field}.authentication.jwt.jwks.remote.backendRef", false, context).Error : null)
            ?? (authn?.Jwt?.Jwks?.Remote is { } remote && RemoteJwksTls.HttpsUri(remote) is { } uri
                ? RemoteJwksTls.Resolve(remote, uri, $"{ns}/check", $"{field}.authentication.jwt.jwks.remote", context.Index).Error
                : null);
    }

    /// <summary>
    /// The cluster of a Service port (HTTP/2 when <paramref name="http2"/>); with <paramref name="tls"/>,
    /// a TLS cluster of its own for <paramref name="owner"/> (see ClusterRegistry.RegisterTls).
    /// </summary>
    public static (string? Cluster, string? Error) Cluster(ServiceRef reference, string ns, string field, bool http2, PolicyContext context,
        IrUpstreamTls? tls = null, string? owner = null)
    {
        if (!string.IsNullOrEmpty(reference.Group) || (reference.Kind ?? "Service") != "Service")
        {
            return (null, $"{field}: only core Services are supported (got {reference.Group}/{reference.Kind})");
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            return (null, $"{field}.name: required");
        }

        var serviceNamespace = reference.Namespace ?? ns;
        if (!context.Index.IsReferenceAllowed(GroupNames.EnvoyExt, Kind, ns, GroupNames.Core, "Service", serviceNamespace, reference.Name))
        {
            return (null, $"{field}: Service {serviceNamespace}/{reference.Name} is in another namespace and no ReferenceGrant there allows it");
        }

        var service = context.Index.Service(serviceNamespace, reference.Name);
        if (service is null)
        {
            return (null, $"{field}: Service {serviceNamespace}/{reference.Name} does not exist");
        }

        if (reference.Port is not { } portNumber)
        {
            return (null, $"{field}.port: required");
        }

        var port = service.Ports.FirstOrDefault(p => p.Port == portNumber);
        return port is null
            ? (null, $"{field}.port: Service {serviceNamespace}/{reference.Name} has no port {portNumber}")
            : (tls is null ? context.Clusters.Register(service, port, http2) : context.Clusters.RegisterTls(service, port, tls, owner!), null);
    }

    /// <summary>
    /// API keys: each entry of the Secret is a client id and its key, served as the filter's
    /// <c>client-id:key</c> lines.
    /// </summary>
    public static (IrGenericSecret? Secret, string? Error) ApiKeys(SecretRef reference, string ns, string field, PolicyContext context)
    {
        var (data, error) = Resolve(reference, ns, field, context);
        if (data is null)
        {
            return (null, error);
        }

        if (data.Count is 0 or > MaxApiKeys)
        {
            return (null, $"{field}: Secret {reference.Namespace ?? ns}/{reference.Name} must hold 1..{MaxApiKeys} entries (client id: key)");
        }

        var lines = new StringBuilder();
        foreach (var clientId in data.Keys)
        {
            data.TryGetValue(clientId, out var key);
            var value = key.Reveal();
            if (clientId.AsSpan().IndexOfAny(":#\r\n ") >= 0 || value.Length == 0 || value.AsSpan().IndexOfAny("\r\n") >= 0)
            {
                // The client id is a data key, not secret; the key's value is never named.
                return (null, $"{field}: Secret {reference.Namespace ?? ns}/{reference.Name} entry \"{clientId}\": the client id may not hold ':', '#', spaces or line breaks, and the key must be one non-empty line");
            }

            lines.Append(clientId).Append(':').Append(value).Append('\n');
        }

        var sdsName = GenericSecretResolver.SdsName("auth-api-keys", reference.Namespace ?? ns, reference.Name!);
        return (new IrGenericSecret(sdsName, new SensitiveText(lines.ToString())), null);
    }

    /// <summary>One entry of a Secret served as it is (htpasswd lines, a JWKS).</summary>
    public static (IrGenericSecret? Secret, string? Error) Entry(string purpose, string key, SecretRef reference, string ns, string field, PolicyContext context)
    {
        var (data, error) = Resolve(reference, ns, field, context);
        if (data is null)
        {
            return (null, error);
        }

        if (!data.TryGetValue(key, out var value) || value.Length == 0)
        {
            return (null, $"{field}: Secret {reference.Namespace ?? ns}/{reference.Name} has no non-empty \"{key}\" entry");
        }

        return (new IrGenericSecret(GenericSecretResolver.SdsName(purpose, reference.Namespace ?? ns, reference.Name!), value), null);
    }

    private static (SecretData? Data, string? Error) Resolve(SecretRef reference, string ns, string field, PolicyContext context) =>
        string.IsNullOrEmpty(reference.Name)
            ? (null, $"{field}.name: required")
            : context.Secrets.Resolve(Kind, ns, reference.Namespace, reference.Name, field);
}
