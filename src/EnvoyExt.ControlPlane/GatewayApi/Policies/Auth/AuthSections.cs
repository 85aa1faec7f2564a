using System.Text.Json;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.ExtAuth.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Auth;

/// <summary>The names references resolve to: SDS generic secrets and clusters.</summary>
internal sealed record AuthNames(string? ApiKeySecret, string? HtpasswdSecret, string? JwksSecret, string? JwksCluster)
{
    /// <summary>Stand-ins for validating a block alone, before any reference is resolved.</summary>
    public static AuthNames Placeholders { get; } = new("api-keys", "htpasswd", "jwks", "jwks-cluster");
}

/// <summary>
/// Turns AuthPolicy sections into the filters' documents and checks them with the filters' own
/// validators, so a block the controller accepts is one the filters load. Errors name the CRD field.
/// </summary>
internal static class AuthSections
{
    /// <summary>The ext_auth document calling <paramref name="cluster"/>, or the error below <paramref name="field"/>.</summary>
    public static (ExtAuthConfig? Config, string? Error) ExtAuth(ExtAuthSection section, string cluster, string field)
    {
        field += ".extAuth";
        string? protocol = section.Protocol switch
        {
            "HTTP" => "http",
            "GRPC" => "grpc",
            _ => null,
        };
        if (protocol is null)
        {
            return (null, $"{field}.protocol: must be HTTP or GRPC (got {section.Protocol ?? "nothing"})");
        }

        if (section.BackendRef is null)
        {
            return (null, $"{field}.backendRef: required");
        }

        if (protocol == "grpc" && (section.Path is not null || section.HeadersToBackend is not null))
        {
            return (null, $"{field}.{(section.Path is not null ? "path" : "headersToBackend")}: only for protocol HTTP");
        }

        int? timeoutMs = null;
        if (section.Timeout is { } timeout)
        {
            var ms = GatewayDurations.TryParseMs(timeout, out var error);
            if (ms is null || ms <= 0 || ms > int.MaxValue)
            {
                return (null, $"{field}.timeout: {error ?? "must be more than 0s"}");
            }

            timeoutMs = (int)ms.Value;
        }

        var config = new ExtAuthConfig
        {
            Protocol = protocol,
            Cluster = cluster,
            PathPrefix = string.IsNullOrEmpty(section.Path) || section.Path == "/" ? null : section.Path.TrimEnd('/'),
            HeadersToExtAuth = Lower(section.HeadersToExtAuth),
            HeadersToBackend = Lower(section.HeadersToBackend),
            MaxRequestBytes = section.ForwardBody?.MaxSize,
            AllowPartialMessage = section.ForwardBody?.AllowPartial,
            FailOpen = section.FailOpen,
            StatusOnError = section.StatusOnError,
            TimeoutMs = timeoutMs,
        };
        if (!ExtAuthConfigJson.TryParse(ExtAuthConfigJson.Serialize(config), out var checkedConfig, out var contractError))
        {
            return (null, $"{field}.{ExtAuthField(contractError!)}");
        }

        return (checkedConfig, null);
    }

    /// <summary>
    /// The auth document for an authentication section and the authorization rules, secrets and the
    /// JWKS cluster named by <paramref name="names"/>; or the error below <paramref name="field"/>.
    /// </summary>
    public static (AuthConfig? Config, string? Error) Auth(
        AuthenticationSection authn, AuthorizationConfig? authz, string? name, AuthNames names, string field)
    {
        var at = field + ".authentication";
        if (authn.ApiKey is null && authn.BasicAuth is null && authn.Jwt is null)
        {
            return (null, $"{at}: at least one of apiKey, basicAuth, jwt is required");
        }

        if (authn.ApiKey is { SecretRef: null })
        {
            return (null, $"{at}.apiKey.secretRef: required");
        }

        if (authn.BasicAuth is { SecretRef: null })
        {
            return (null, $"{at}.basicAuth.secretRef: required");
        }

        JwtConfig? jwt = null;
        if (authn.Jwt is { } jwtSection)
        {
            var (jwks, error) = Jwks(jwtSection.Jwks, names, at + ".jwt.jwks");
            if (error is not null)
            {
                return (null, error);
            }

            jwt = new JwtConfig
            {
                Issuer = jwtSection.Issuer,
                Audiences = jwtSection.Audiences,
                ClockSkewSeconds = jwtSection.ClockSkewSeconds,
                Algorithms = jwtSection.Algorithms,
                From = jwtSection.From,
                KeepToken = jwtSection.KeepToken,
                Jwks = jwks,
                ClaimsToHeaders = jwtSection.ClaimsToHeaders,
                CacheSize = jwtSection.CacheSize,
            };
        }

        var config = new AuthConfig
        {
            Name = name,
            Realm = authn.Realm,
            Combine = authn.Combine,
            // The controller serves every secret over the node's ADS stream.
            SecretSource = authn.ApiKey is not null || authn.BasicAuth is not null || jwt?.Jwks?.Secret is not null ? "ads" : null,
            ApiKey = authn.ApiKey is { } apiKey
                ? new ApiKeyConfig { Secret = names.ApiKeySecret, From = apiKey.From, ClientIdHeader = apiKey.ClientIdHeader, KeepCredential = apiKey.KeepCredential }
                : null,
            BasicAuth = authn.BasicAuth is { } basic
                ? new BasicAuthConfig { Secret = names.HtpasswdSecret, UserHeader = basic.UserHeader, KeepCredential = basic.KeepCredential, CacheSize = basic.CacheSize }
                : null,
            Jwt = jwt,
            Authorization = authz,
        };
        return AuthConfigJson.Validate(config, AuthConfigLevel.Listener) is { } contractError
            ? (null, AuthField(contractError, field))
            : (config, null);
    }

    /// <summary>
    /// Checks authorization rules that have no authentication in the same block: they are checked
    /// against a stand-in JWT method (claim rules need one), the real one comes from a merge.
    /// </summary>
    public static string? AuthorizationAlone(AuthorizationConfig authz, string field)
    {
        var standIn = new AuthenticationSection
        {
            Jwt = new JwtSection { Jwks = new JwksSection { Remote = new RemoteJwksSection { Uri = "http://stand-in/keys", BackendRef = new ServiceRef() } } },
        };
        return Auth(standIn, authz, null, AuthNames.Placeholders, field).Error;
    }

    private static (JwksSource? Jwks, string? Error) Jwks(JwksSection? section, AuthNames names, string field)
    {
        if (section is null)
        {
            return (null, $"{field}: required");
        }

        var count = (section.Inline is null ? 0 : 1) + (section.SecretRef is null ? 0 : 1) + (section.Remote is null ? 0 : 1);
        if (count != 1)
        {
            return (null, $"{field}: exactly one of inline, secretRef, remote");
        }

        if (section.Inline is { } inline)
        {
            return InlineJwksError(inline) is { } error ? (null, $"{field}.inline: {error}") : (new JwksSource { Inline = inline }, null);
        }

        if (section.SecretRef is not null)
        {
            return (new JwksSource { Secret = names.JwksSecret }, null);
        }

        var remote = section.Remote!;
        if (remote.BackendRef is null)
        {
            return (null, $"{field}.remote.backendRef: required (the Service the keys are fetched through)");
        }

        if (!Uri.TryCreate(remote.Uri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return (null, $"{field}.remote.uri: an absolute http:// or https:// URL without user info or fragment");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && remote.CaCertificateRefs is { Count: > 0 })
        {
            return (null, $"{field}.remote.caCertificateRefs: only for an https:// uri");
        }

        var result = new RemoteJwks { Cluster = names.JwksCluster, Host = uri.Authority, Path = uri.PathAndQuery };
        if (remote.Timeout is { } timeout)
        {
            var ms = GatewayDurations.TryParseMs(timeout, out var error);
            if (ms is null || ms <= 0 || ms > int.MaxValue)
            {
                return (null, $"{field}.remote.timeout: {error ?? "must be more than 0s"}");
            }

            result.TimeoutMs = (int)ms.Value;
        }

        if (remote.RefreshInterval is { } refresh)
        {
            var ms = GatewayDurations.TryParseMs(refresh, out var error);
            if (ms is null || ms < 1000)
            {
                return (null, $"{field}.remote.refreshInterval: {error ?? "must be at least 1s"}");
            }

            result.RefreshSeconds = (int)Math.Min(ms.Value / 1000, int.MaxValue);
        }

        return (new JwksSource { Remote = result }, null);
    }

    /// <summary>
    /// The filter parses the keys when it loads; here the document must at least be a JWKS of public
    /// keys, so a typo is reported on the policy rather than by Envoy.
    /// </summary>
    private static string? InlineJwksError(string inline)
    {
        try
        {
            using var document = JsonDocument.Parse(inline, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
            {
                return "must be a JWKS document with a non-empty \"keys\" array";
            }

            var i = 0;
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || !key.TryGetProperty("kty", out var kty) || kty.ValueKind != JsonValueKind.String)
                {
                    return $"keys[{i}]: needs a string \"kty\"";
                }

                if (kty.GetString() == "oct")
                {
                    return $"keys[{i}]: symmetric (oct) keys are secret: put them in a Secret (jwks.secretRef)";
                }

                i++;
            }

            return null;
        }
        catch (JsonException ex)
        {
            return "not valid JSON: " + ex.Message;
        }
    }

    private static List<string>? Lower(List<string>? names) =>
        names is null ? null : names.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The ext_auth contract's field names, in the CRD's words.</summary>
    private static string ExtAuthField(string error) => error
        .Replace("pathPrefix", "path", StringComparison.Ordinal)
        .Replace("maxRequestBytes", "forwardBody.maxSize", StringComparison.Ordinal)
        .Replace("allowPartialMessage", "forwardBody.allowPartial", StringComparison.Ordinal)
        .Replace("timeoutMs", "timeout", StringComparison.Ordinal)
        .Replace("cluster", "backendRef", StringComparison.Ordinal);

    /// <summary>The auth contract's paths, in the CRD's words: methods live under authentication, secrets are secretRefs.</summary>
    private static string AuthField(string error, string field)
    {
        var mapped = error
            .Replace("jwks.remote.cluster", "jwks.remote.backendRef", StringComparison.Ordinal)
            .Replace("jwks.remote.host", "jwks.remote.uri", StringComparison.Ordinal)
            .Replace("jwks.remote.path", "jwks.remote.uri", StringComparison.Ordinal)
            .Replace("jwks.remote.timeoutMs", "jwks.remote.timeout", StringComparison.Ordinal)
            .Replace("jwks.remote.refreshSeconds", "jwks.remote.refreshInterval", StringComparison.Ordinal)
            .Replace(".secret:", ".secretRef:", StringComparison.Ordinal);
        return mapped.StartsWith("authorization", StringComparison.Ordinal) || mapped.StartsWith("name", StringComparison.Ordinal)
            ? $"{field}.{mapped}"
            : $"{field}.authentication.{mapped}";
    }
}
