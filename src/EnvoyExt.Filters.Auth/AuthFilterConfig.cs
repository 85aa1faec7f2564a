using System.Text;
using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.Auth.ApiKey;
using EnvoyExt.Filters.Auth.Authorization;
using EnvoyExt.Filters.Auth.BasicAuth;
using EnvoyExt.Filters.Auth.Jwt;

namespace EnvoyExt.Filters.Auth;

/// <summary>One compiled <c>auth</c> config: its methods, how they combine, the rules, and the metrics.</summary>
internal sealed class AuthFilterConfig(
    string name,
    bool combineAny,
    ApiKeyMethod? apiKey,
    BasicAuthMethod? basicAuth,
    JwtMethod? jwt,
    AuthorizationRules rules,
    string realm,
    AuthMetrics metrics,
    TimeProvider time) : HttpFilterConfig
{
    public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(name);

    public bool CombineAny { get; } = combineAny;

    public ApiKeyMethod? ApiKey { get; } = apiKey;

    public BasicAuthMethod? BasicAuth { get; } = basicAuth;

    public JwtMethod? Jwt { get; } = jwt;

    public AuthorizationRules Rules { get; } = rules;

    public AuthMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    /// <summary>One WWW-Authenticate value per configured method, built once.</summary>
    public byte[][] Challenges { get; } =
    [
        .. apiKey is null ? Array.Empty<byte[]>() : [Encoding.UTF8.GetBytes($"APIKey realm=\"{realm}\"")],
        .. basicAuth is null ? Array.Empty<byte[]>() : [Encoding.UTF8.GetBytes($"Basic realm=\"{realm}\"")],
        .. jwt is null ? Array.Empty<byte[]>() : [Encoding.UTF8.GetBytes($"Bearer realm=\"{realm}\"")],
    ];

    /// <summary>The remote key set when the JWT keys are fetched, else null.</summary>
    public RemoteKeySet? RemoteKeys => Jwt?.Keys as RemoteKeySet;

    public override HttpFilter CreateFilter() => new AuthFilter(this);
}
