using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.ApiKey;
using EnvoyExt.Filters.Auth.Authorization;
using EnvoyExt.Filters.Auth.BasicAuth;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.Auth.Jwt;

namespace EnvoyExt.Filters.Auth;

/// <summary>The SDK entry point of <c>filter_name: auth</c> (docs/filters/auth.md).</summary>
public sealed class AuthFilterFactory : HttpFilterFactory
{
    private const int DefaultCacheSize = 1024;

    private readonly TimeProvider _time;

    /// <summary>A factory on the system clock (the production one).</summary>
    public AuthFilterFactory()
        : this(TimeProvider.System)
    {
    }

    internal AuthFilterFactory(TimeProvider time) => _time = time;

    /// <inheritdoc/>
    public override string FilterName => AuthFilterContract.FilterName;

    /// <inheritdoc/>
    public override HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error)
    {
        if (!AuthConfigJson.TryParse(config, AuthConfigLevel.Listener, out var parsed, out error))
        {
            return null;
        }
        try
        {
            return Compile(context, parsed!, out error);
        }
        catch (InvalidOperationException ex)
        {
            // SubscribeSecret and DefineCounter name the secret or metric; never a value.
            error = ex.Message;
            return null;
        }
    }

    /// <inheritdoc/>
    public override object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error) =>
        AuthConfigJson.TryParse(config, AuthConfigLevel.Route, out _, out error) ? RouteAuthConfig.Disabled : null;

    private AuthFilterConfig? Compile(FilterConfigContext context, AuthConfig config, out string? error)
    {
        error = null;
        var source = config.SecretSource == "ads" ? SecretSource.Ads : SecretSource.Static;
        ApiKeyMethod? apiKey = null;
        if (config.ApiKey is { } apiKeyConfig)
        {
            var secret = context.SubscribeSecret(apiKeyConfig.Secret!, source);
            error = CheckSecret(context, secret, "apiKey.secret", bytes => ApiKeyTable.Parse(bytes, out var reason) is null ? reason : null);
            if (error is not null)
            {
                return null;
            }
            apiKey = new ApiKeyMethod(apiKeyConfig, new SecretView<ApiKeyTable>(secret, bytes => ApiKeyTable.Parse(bytes, out _)));
        }
        BasicAuthMethod? basic = null;
        if (config.BasicAuth is { } basicConfig)
        {
            var secret = context.SubscribeSecret(basicConfig.Secret!, source);
            error = CheckSecret(context, secret, "basicAuth.secret", bytes => HtpasswdTable.Parse(bytes, 0, out var reason) is null ? reason : null);
            if (error is not null)
            {
                return null;
            }
            var cacheSize = basicConfig.CacheSize ?? DefaultCacheSize;
            basic = new BasicAuthMethod(basicConfig, new SecretView<HtpasswdTable>(secret, bytes => HtpasswdTable.Parse(bytes, cacheSize, out _)));
        }
        string[] claimNames = [.. (config.Jwt?.ClaimsToHeaders ?? []).Select(c => c.Claim!)
            .Concat((config.Authorization?.Rules ?? []).SelectMany(r => r.Claims ?? []).Select(c => c.Name!))
            .Distinct(StringComparer.Ordinal)];
        JwtMethod? jwt = null;
        if (config.Jwt is { } jwtConfig)
        {
            var keys = CompileKeys(context, jwtConfig, source, out error);
            if (keys is null)
            {
                return null;
            }
            var algorithms = jwtConfig.Algorithms?.Select(JwtAlgorithms.Parse).ToArray() ??
                [JwtAlgorithm.RS256, JwtAlgorithm.RS384, JwtAlgorithm.RS512, JwtAlgorithm.PS256, JwtAlgorithm.ES256, JwtAlgorithm.ES384, JwtAlgorithm.HS256];
            var settings = new JwtSettings(algorithms, jwtConfig.Issuer, jwtConfig.Audiences?.ToArray(), jwtConfig.ClockSkewSeconds ?? 60, claimNames);
            jwt = new JwtMethod(jwtConfig, keys, settings);
        }
        AuthMetrics metrics;
        try
        {
            metrics = AuthMetrics.Define(context);
        }
        catch (InvalidOperationException ex)
        {
            error = $"metrics: {ex.Message}";
            return null;
        }
        return new AuthFilterConfig(config.Name ?? "default", config.Combine == "any", apiKey, basic, jwt,
            AuthorizationRules.Compile(config.Authorization, claimNames), config.Realm ?? "envoyext", metrics, _time);
    }

    private static KeySetSource? CompileKeys(FilterConfigContext context, JwtConfig config, SecretSource source, out string? error)
    {
        var cacheSize = config.CacheSize ?? DefaultCacheSize;
        var jwks = config.Jwks!;
        if (jwks.Inline is { } inline)
        {
            using var probe = JsonWebKeySet.Parse(System.Text.Encoding.UTF8.GetBytes(inline), allowSymmetric: false, 0, out error);
            if (probe is null)
            {
                error = $"jwt.jwks.inline: {error}";
                return null;
            }
            return new InlineKeySet(inline, cacheSize);
        }
        if (jwks.Secret is { } name)
        {
            var secret = context.SubscribeSecret(name, source);
            error = CheckSecret(context, secret, "jwt.jwks.secret", bytes =>
            {
                using var probe = JsonWebKeySet.Parse(bytes, allowSymmetric: true, 0, out var reason);
                return probe is null ? reason : null;
            });
            return error is null
                ? new SecretKeySet(new SecretView<JsonWebKeySet>(secret, bytes => JsonWebKeySet.Parse(bytes, allowSymmetric: true, cacheSize, out _)))
                : null;
        }
        error = null;
        return new RemoteKeySet(jwks.Remote!, cacheSize);
    }

    /// <summary>
    /// A secret that exists now must parse; the error names the field, the secret and the line, never the
    /// value. A secret not delivered yet is accepted: streams fail closed until it arrives.
    /// </summary>
    private static string? CheckSecret(FilterConfigContext context, SecretId secret, string field, Func<ReadOnlySpan<byte>, string?> check)
    {
        if (!context.TryGetSecret(secret, out var value))
        {
            return null;
        }
        return check(value) is { } reason ? $"{field}: secret '{secret.Name}': {reason}" : null;
    }
}
