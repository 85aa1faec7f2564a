using EnvoyExt.Filters.ExtAuth.Config;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>The feature keys of the filters the controller configures (one line per filter).</summary>
public static class IrFeatures
{
    /// <summary>The effective rate_limit document (policies resolved).</summary>
    public static readonly IrFeatureKey<RateLimitConfig> RateLimit = new(RateLimitFilterContract.FilterName, "rateLimit");

    /// <summary>The effective ext_auth document (the cluster already resolved from the backendRef).</summary>
    public static readonly IrFeatureKey<ExtAuthConfig> ExtAuth = new(ExtAuthFilterContract.FilterName, "extAuth");

    /// <summary>
    /// The effective TrafficPolicy: the fault, bandwidth_limit and concurrency_limit documents plus the
    /// route's Envoy-native timeout, retries and circuit breakers.
    /// </summary>
    public static readonly IrFeatureKey<IrTraffic> Traffic = new("traffic", "traffic");
}
