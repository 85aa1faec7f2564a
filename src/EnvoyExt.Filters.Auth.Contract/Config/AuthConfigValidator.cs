using System.Net;

namespace EnvoyExt.Filters.Auth.Config;

/// <summary>The contract's rules; each error names the JSON path of the offending field.</summary>
internal static class AuthConfigValidator
{
    private static readonly string[] KnownAlgorithms = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "HS256"];

    public static string? Validate(AuthConfig config, AuthConfigLevel level)
    {
        if (config.Disabled)
        {
            if (level != AuthConfigLevel.Route)
            {
                return "disabled: only allowed in a per-route config";
            }
            return config.Name is null && config.Realm is null && config.Combine is null && config.SecretSource is null && config.ApiKey is null &&
                   config.BasicAuth is null && config.Jwt is null && config.Authorization is null
                ? null
                : "disabled: must be the only field";
        }
        if (level == AuthConfigLevel.Route)
        {
            return "config: a per-route config may only be {\"disabled\": true}";
        }
        return Label(config.Name, "name")
            ?? Label(config.Realm, "realm")
            ?? (config.Realm is not null && config.Realm.Contains('"', StringComparison.Ordinal) ? "realm: must not contain '\"'" : null)
            ?? (config.Combine is null or "all" or "any" ? null : "combine: must be \"all\" or \"any\"")
            ?? (config.SecretSource is null or "static" or "ads" ? null : "secretSource: must be \"static\" or \"ads\"")
            ?? (config.ApiKey is null && config.BasicAuth is null && config.Jwt is null
                ? "config: needs at least one of apiKey, basicAuth, jwt"
                : null)
            ?? (config.ApiKey is { } apiKey ? ApiKey(apiKey) : null)
            ?? (config.BasicAuth is { } basic ? BasicAuth(basic) : null)
            ?? (config.Jwt is { } jwt ? Jwt(jwt) : null)
            ?? (config.Authorization is { } authorization ? Authorization(authorization, config.Jwt is not null) : null);
    }

    private static string? ApiKey(ApiKeyConfig apiKey) =>
        SecretName(apiKey.Secret, "apiKey.secret")
        ?? Sources(apiKey.From, "apiKey.from")
        ?? (apiKey.ClientIdHeader is null ? null : HeaderName(apiKey.ClientIdHeader, "apiKey.clientIdHeader"));

    private static string? BasicAuth(BasicAuthConfig basic) =>
        SecretName(basic.Secret, "basicAuth.secret")
        ?? (basic.UserHeader is null ? null : HeaderName(basic.UserHeader, "basicAuth.userHeader"))
        ?? CacheSize(basic.CacheSize, "basicAuth.cacheSize");

    private static string? Jwt(JwtConfig jwt)
    {
        if (jwt.Issuer is { Length: 0 })
        {
            return "jwt.issuer: must not be empty";
        }
        if (jwt.Audiences is { } audiences)
        {
            if (audiences.Count is 0 or > AuthFilterContract.MaxAudiences)
            {
                return $"jwt.audiences: 1..{AuthFilterContract.MaxAudiences} entries";
            }
            for (var i = 0; i < audiences.Count; i++)
            {
                if (string.IsNullOrEmpty(audiences[i]))
                {
                    return $"jwt.audiences[{i}]: must not be empty";
                }
            }
        }
        if (jwt.ClockSkewSeconds is < 0 or > AuthFilterContract.MaxClockSkewSeconds)
        {
            return $"jwt.clockSkewSeconds: 0..{AuthFilterContract.MaxClockSkewSeconds}";
        }
        if (jwt.Algorithms is { } algorithms)
        {
            if (algorithms.Count is 0 or > 8)
            {
                return "jwt.algorithms: 1..8 entries";
            }
            for (var i = 0; i < algorithms.Count; i++)
            {
                if (Array.IndexOf(KnownAlgorithms, algorithms[i]) < 0)
                {
                    return $"jwt.algorithms[{i}]: unsupported algorithm (supported: {string.Join(", ", KnownAlgorithms)})";
                }
            }
        }
        var error = Sources(jwt.From, "jwt.from") ?? CacheSize(jwt.CacheSize, "jwt.cacheSize") ?? Jwks(jwt.Jwks);
        if (error is not null)
        {
            return error;
        }
        if (jwt.ClaimsToHeaders is { } claims)
        {
            if (claims.Count > AuthFilterContract.MaxClaimHeaders)
            {
                return $"jwt.claimsToHeaders: at most {AuthFilterContract.MaxClaimHeaders} entries";
            }
            for (var i = 0; i < claims.Count; i++)
            {
                error = (string.IsNullOrEmpty(claims[i].Claim) ? $"jwt.claimsToHeaders[{i}].claim: required" : null)
                    ?? HeaderName(claims[i].Header, $"jwt.claimsToHeaders[{i}].header");
                if (error is not null)
                {
                    return error;
                }
            }
        }
        return null;
    }

    private static string? Jwks(JwksSource? jwks)
    {
        if (jwks is null)
        {
            return "jwt.jwks: required";
        }
        var count = (jwks.Inline is null ? 0 : 1) + (jwks.Secret is null ? 0 : 1) + (jwks.Remote is null ? 0 : 1);
        if (count != 1)
        {
            return "jwt.jwks: exactly one of inline, secret, remote";
        }
        if (jwks.Inline is { } inline)
        {
            return inline.Length is 0 or > AuthFilterContract.MaxJwksBytes
                ? $"jwt.jwks.inline: 1..{AuthFilterContract.MaxJwksBytes} bytes"
                : null;
        }
        if (jwks.Secret is { } secret)
        {
            return SecretName(secret, "jwt.jwks.secret");
        }
        var remote = jwks.Remote!;
        if (string.IsNullOrEmpty(remote.Cluster))
        {
            return "jwt.jwks.remote.cluster: required";
        }
        if (string.IsNullOrEmpty(remote.Host) || remote.Host.Length > 253 || remote.Host.AsSpan().IndexOfAny("\r\n\0 /") >= 0)
        {
            return "jwt.jwks.remote.host: required, a host name without spaces or '/'";
        }
        if (remote.Path is null || remote.Path.Length > 2048 || !remote.Path.StartsWith('/') || remote.Path.AsSpan().IndexOfAny("\r\n\0 ") >= 0)
        {
            return "jwt.jwks.remote.path: required, at most 2048 characters, starting with '/' and without spaces";
        }
        if (remote.TimeoutMs is < 1 or > 60000)
        {
            return "jwt.jwks.remote.timeoutMs: 1..60000";
        }
        return remote.RefreshSeconds is < 10 or > 86400 ? "jwt.jwks.remote.refreshSeconds: 10..86400" : null;
    }

    private static string? Authorization(AuthorizationConfig authorization, bool hasJwt)
    {
        if (authorization.DefaultAction is not (null or "allow" or "deny"))
        {
            return "authorization.defaultAction: must be \"allow\" or \"deny\"";
        }
        var rules = authorization.Rules;
        if (rules is null)
        {
            return null;
        }
        if (rules.Count > AuthFilterContract.MaxRules)
        {
            return $"authorization.rules: at most {AuthFilterContract.MaxRules} rules";
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var error = Rule(rules[i], $"authorization.rules[{i}]", hasJwt);
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static string? Rule(AuthorizationRule rule, string path, bool hasJwt)
    {
        if (rule.Action is not ("allow" or "deny"))
        {
            return $"{path}.action: must be \"allow\" or \"deny\"";
        }
        var error = Label(rule.Name, $"{path}.name")
            ?? Count(rule.SourceCidrs, $"{path}.sourceCidrs")
            ?? Count(rule.Methods, $"{path}.methods")
            ?? Count(rule.PathPrefixes, $"{path}.pathPrefixes")
            ?? Count(rule.Headers, $"{path}.headers")
            ?? Count(rule.Claims, $"{path}.claims");
        if (error is not null)
        {
            return error;
        }
        for (var i = 0; i < (rule.SourceCidrs?.Count ?? 0); i++)
        {
            if (!IPNetwork.TryParse(rule.SourceCidrs![i], out _))
            {
                return $"{path}.sourceCidrs[{i}]: not a CIDR (a.b.c.d/n or x::/n)";
            }
        }
        for (var i = 0; i < (rule.Methods?.Count ?? 0); i++)
        {
            var method = rule.Methods![i];
            if (string.IsNullOrEmpty(method) || method.Length > 32 || !method.All(char.IsAsciiLetterUpper))
            {
                return $"{path}.methods[{i}]: an upper-case method name";
            }
        }
        for (var i = 0; i < (rule.PathPrefixes?.Count ?? 0); i++)
        {
            if (rule.PathPrefixes![i] is not { } prefix || !prefix.StartsWith('/'))
            {
                return $"{path}.pathPrefixes[{i}]: must start with '/'";
            }
        }
        for (var i = 0; i < (rule.Headers?.Count ?? 0); i++)
        {
            error = HeaderName(rule.Headers![i].Name, $"{path}.headers[{i}].name");
            if (error is not null)
            {
                return error;
            }
        }
        if (rule.Claims is { Count: > 0 } && !hasJwt)
        {
            return $"{path}.claims: needs the jwt method";
        }
        for (var i = 0; i < (rule.Claims?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(rule.Claims![i].Name) || string.IsNullOrEmpty(rule.Claims[i].Value))
            {
                return $"{path}.claims[{i}]: name and value required";
            }
        }
        return null;
    }

    private static string? Sources(List<CredentialSource>? sources, string path)
    {
        if (sources is null)
        {
            return null;
        }
        if (sources.Count is 0 or > AuthFilterContract.MaxSources)
        {
            return $"{path}: 1..{AuthFilterContract.MaxSources} entries";
        }
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            var count = (source.Header is null ? 0 : 1) + (source.Query is null ? 0 : 1) + (source.Cookie is null ? 0 : 1);
            if (count != 1)
            {
                return $"{path}[{i}]: exactly one of header, query, cookie";
            }
            if (source.Prefix is not null && source.Header is null)
            {
                return $"{path}[{i}].prefix: only with header";
            }
            var error = source.Header is not null ? HeaderName(source.Header, $"{path}[{i}].header")
                : Token(source.Query ?? source.Cookie, $"{path}[{i}].{(source.Query is null ? "cookie" : "query")}");
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static string? Count<T>(List<T>? list, string path) =>
        list is { Count: 0 or > AuthFilterContract.MaxConditions } ? $"{path}: 1..{AuthFilterContract.MaxConditions} entries" : null;

    private static string? CacheSize(int? size, string path) =>
        size is < 0 or > AuthFilterContract.MaxCacheEntries ? $"{path}: 0..{AuthFilterContract.MaxCacheEntries}" : null;

    private static string? SecretName(string? name, string path) =>
        string.IsNullOrEmpty(name) ? $"{path}: required (the name of a generic secret)"
        : name.Length > 253 ? $"{path}: at most 253 characters" : null;

    private static string? Label(string? label, string path) =>
        label is not null && (label.Length is 0 or > AuthFilterContract.MaxLabelLength || label.Any(char.IsControl))
            ? $"{path}: 1..{AuthFilterContract.MaxLabelLength} printable characters"
            : null;

    private static string? HeaderName(string? name, string path)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128)
        {
            return $"{path}: required, at most 128 characters";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                return $"{path}: a lower-case header name";
            }
        }
        return null;
    }

    private static string? Token(string? name, string path)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128)
        {
            return $"{path}: required, at most 128 characters";
        }
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 127 || c is '=' or ';' or '&' or ',' or '"')
            {
                return $"{path}: printable ASCII without '=', ';', '&', ',' or '\"'";
            }
        }
        return null;
    }
}
