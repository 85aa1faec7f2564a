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

    /// <summary>The HTTPRoute CORS filter, served by Envoy's own CORS filter.</summary>
    public static readonly IrFeatureKey<IrCorsPolicy> Cors = new("envoy.filters.http.cors", "cors");
}
