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

    /// <summary>The effective ext_auth document (the cluster already resolved from the backendRef).</summary>
    public static readonly IrFeatureKey<ExtAuthConfig> ExtAuth = new(ExtAuthFilterContract.FilterName, "extAuth");
}
