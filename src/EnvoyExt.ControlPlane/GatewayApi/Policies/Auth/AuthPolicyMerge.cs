using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.Auth.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>
/// Merges AuthPolicy blocks section by section: a stronger block's <c>extAuth</c>,
/// <c>authentication</c> or <c>authorization</c> replaces that whole section (a half-merged
/// authentication method or rule list would be a configuration nobody wrote); <c>disabled: true</c>
/// switches every section off and any later section switches it back on. References are resolved
/// against the namespace of the policy whose section is served.
/// </summary>
internal sealed class AuthPolicyMerge(PolicyContext context, Func<JsonObject, AuthBlock> parsed) : IPolicyMerge<JsonObject, AuthPolicyFeature>
{
    private readonly List<(string Overridden, string By)> _replacements = [];
    private (ExtAuthSection Section, string Policy)? _extAuth;
    private (AuthenticationSection Section, string Policy)? _authentication;
    private (AuthorizationConfig Section, string Policy)? _authorization;
    private string? _disabledBy;

    public IReadOnlyList<(string Overridden, string By)> Replacements => _replacements;

    public void Apply(JsonObject block, string policyKey)
    {
        var auth = parsed(block);
        if (auth.Disabled)
        {
            foreach (var owner in new[] { _extAuth?.Policy, _authentication?.Policy, _authorization?.Policy, _disabledBy })
            {
                Record(owner, policyKey);
            }

            (_extAuth, _authentication, _authorization, _disabledBy) = (null, null, null, policyKey);
            return;
        }

        _disabledBy = null;
        if (auth.ExtAuth is { } extAuth)
        {
            Record(_extAuth?.Policy, policyKey);
            _extAuth = (extAuth, policyKey);
        }

        if (auth.Authentication is { } authentication)
        {
            Record(_authentication?.Policy, policyKey);
            _authentication = (authentication, policyKey);
        }

        if (auth.Authorization is { } authorization)
        {
            Record(_authorization?.Policy, policyKey);
            _authorization = (authorization, policyKey);
        }
    }

    public (AuthPolicyFeature? Feature, string? Error) Finish()
    {
        IrExtAuth? extAuth = null;
        if (_extAuth is { } e)
        {
            var ns = Namespace(e.Policy);
            var (cluster, error) = AuthReferences.Cluster(e.Section.BackendRef!, ns, "spec.extAuth.backendRef", e.Section.Protocol == "GRPC", context);
            if (cluster is null)
            {
                return (null, $"{e.Policy}: {error}");
            }

            var (config, configError) = AuthSections.ExtAuth(e.Section, cluster, "spec");
            if (config is null)
            {
                return (null, $"{e.Policy}: {configError}");
            }

            extAuth = new IrExtAuth(config, cluster);
        }

        IrAuth? auth = null;
        if (_authentication is { } a)
        {
            var (feature, error) = Auth(a.Section, a.Policy);
            if (feature is null)
            {
                return (null, error);
            }

            auth = feature;
        }
        else if (_authorization is { } rules)
        {
            return (null, $"authorization rules of {rules.Policy} need an authentication section, and no policy on the way gives one");
        }

        return extAuth is null && auth is null ? (null, null) : (new AuthPolicyFeature(auth, extAuth), null);
    }

    private (IrAuth? Feature, string? Error) Auth(AuthenticationSection section, string policy)
    {
        var ns = Namespace(policy);
        var field = "spec.authentication";
        var secrets = new List<IrGenericSecret>();
        var clusters = new List<string>();
        string? Add((IrGenericSecret? Secret, string? Error) resolved)
        {
            if (resolved.Secret is { } secret)
            {
                secrets.Add(secret);
            }

            return resolved.Error;
        }

        var jwks = section.Jwt?.Jwks;
        string? jwksCluster = null;
        var error = (section.ApiKey?.SecretRef is { } keys ? Add(AuthReferences.ApiKeys(keys, ns, field + ".apiKey.secretRef", context)) : null)
            ?? (section.BasicAuth?.SecretRef is { } htpasswd
                ? Add(AuthReferences.Entry("auth-htpasswd", AuthReferences.HtpasswdKey, htpasswd, ns, field + ".basicAuth.secretRef", context))
                : null)
            ?? (jwks?.SecretRef is { } jwksSecret
                ? Add(AuthReferences.Entry("auth-jwks", AuthReferences.JwksKey, jwksSecret, ns, field + ".jwt.jwks.secretRef", context))
                : null);
        if (error is null && jwks?.Remote is { BackendRef: { } jwksHost } remote)
        {
            IrUpstreamTls? tls = null;
            if (RemoteJwksTls.HttpsUri(remote) is { } uri)
            {
                (tls, error) = RemoteJwksTls.Resolve(remote, uri, policy, field + ".jwt.jwks.remote", context.Index);
            }

            (jwksCluster, error) = error is not null
                ? (null, error)
                : AuthReferences.Cluster(jwksHost, ns, field + ".jwt.jwks.remote.backendRef", false, context, tls, policy);
            if (jwksCluster is not null)
            {
                clusters.Add(jwksCluster);
            }
        }

        if (error is not null)
        {
            return (null, $"{policy}: {error}");
        }

        var names = new AuthNames(
            section.ApiKey is null ? null : secrets.Single(s => s.Name.StartsWith("auth-api-keys/", StringComparison.Ordinal)).Name,
            section.BasicAuth is null ? null : secrets.Single(s => s.Name.StartsWith("auth-htpasswd/", StringComparison.Ordinal)).Name,
            jwks?.SecretRef is null ? null : secrets.Single(s => s.Name.StartsWith("auth-jwks/", StringComparison.Ordinal)).Name,
            jwksCluster);
        var (config, configError) = AuthSections.Auth(section, _authorization?.Section, Label(policy), names, "spec");
        return config is null
            ? (null, $"merged auth configuration is invalid: {configError}")
            : (new IrAuth(config, clusters, secrets), null);
    }

    private void Record(string? overridden, string by)
    {
        if (overridden is not null && overridden != by && !_replacements.Contains((overridden, by)))
        {
            _replacements.Add((overridden, by));
        }
    }

    private static string Namespace(string policyKey) => policyKey[..policyKey.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>The metric label <c>policy</c>: the authentication's policy, shortened with a hash to the filter's limit.</summary>
    private static string Label(string policyKey)
    {
        if (policyKey.Length <= AuthFilterContract.MaxLabelLength)
        {
            return policyKey;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policyKey)), 0, 4);
        return policyKey[..(AuthFilterContract.MaxLabelLength - hash.Length - 1)] + "~" + hash;
    }
}
