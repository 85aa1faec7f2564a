using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>The feature keys of the filters the controller configures (one line per filter).</summary>
public static class IrFeatures
{
    /// <summary>The effective rate_limit document (policies resolved).</summary>
    public static readonly IrFeatureKey<RateLimitConfig> RateLimit = new(RateLimitFilterContract.FilterName, "rateLimit");

    /// <summary>
    /// Listener level only: the GatewayClass's Redis for the rate_limit filter's Global rules, present when a
    /// config on the listener (its own or a route's) has one.
    /// </summary>
    public static readonly IrFeatureKey<IrRateLimitBackend> RateLimitBackend = new(RateLimitFilterContract.FilterName + ".global", "rateLimitBackend");

    /// <summary>The effective ext_auth document with the auth service's cluster (resolved from a backendRef).</summary>
    public static readonly IrFeatureKey<IrExtAuth> ExtAuth = new(ExtAuthFilterContract.FilterName, "extAuth");

    /// <summary>The effective auth document (AuthPolicy authentication and authorization) with its secrets.</summary>
    public static readonly IrFeatureKey<IrAuth> Auth = new(AuthFilterContract.FilterName, "auth");

    /// <summary>
    /// The effective TrafficPolicy: the fault, bandwidth_limit and concurrency_limit documents plus the
    /// route's Envoy-native timeout, retries and circuit breakers.
    /// </summary>
    public static readonly IrFeatureKey<IrTraffic> Traffic = new("traffic", "traffic");

    /// <summary>The HTTPRoute CORS filter, served by Envoy's own CORS filter.</summary>
    public static readonly IrFeatureKey<IrCorsPolicy> Cors = new("envoy.filters.http.cors", "cors");
}
