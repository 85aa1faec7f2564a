using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Auth;

/// <summary>The filter's counters, defined once per filter config.</summary>
internal sealed class AuthMetrics(CounterId allowed, CounterId unauthorized, CounterId forbidden, CounterId jwksFetches)
{
    /// <summary>Labels: policy, method (apiKey, basicAuth, jwt, or all).</summary>
    public CounterId Allowed { get; } = allowed;

    /// <summary>Labels: policy, reason (missing, invalid, keys_unavailable).</summary>
    public CounterId Unauthorized { get; } = unauthorized;

    /// <summary>Labels: policy, rule (the deciding rule's name, or default).</summary>
    public CounterId Forbidden { get; } = forbidden;

    /// <summary>Labels: policy, result (ok, failed).</summary>
    public CounterId JwksFetches { get; } = jwksFetches;

    public static AuthMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new AuthMetrics(
            metrics.DefineCounter("auth_allowed", "policy", "method"),
            metrics.DefineCounter("auth_unauthorized", "policy", "reason"),
            metrics.DefineCounter("auth_forbidden", "policy", "rule"),
            metrics.DefineCounter("auth_jwks_fetches", "policy", "result"));
    }
}
