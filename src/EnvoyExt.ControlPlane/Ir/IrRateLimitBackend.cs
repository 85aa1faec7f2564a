using System.Text.Json.Serialization;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// The Redis connection of a GatewayClass (its parametersRef), carried on the listeners whose rate_limit
/// configs have Global rules: the xDS translator writes <see cref="Settings"/> as the listener-level
/// <c>global</c> block, and the password travels as the SDS generic secret <see cref="Password"/> that
/// <c>passwordSecret</c> names.
/// </summary>
public sealed class IrRateLimitBackend(GlobalRateLimitSettings settings, IrGenericSecret? password) : IIrFeatureDependencies
{
    /// <summary>The filter's <c>global</c> block, validated by the filter's contract.</summary>
    public GlobalRateLimitSettings Settings { get; } = settings;

    /// <summary>The password's SDS generic secret (its value never appears in JSON); null without a password.</summary>
    public IrGenericSecret? Password { get; } = password;

    [JsonIgnore]
    public IReadOnlyList<string> ClusterNames => [];

    [JsonIgnore]
    public IReadOnlyList<IrGenericSecret> GenericSecrets => Password is null ? [] : [Password];
}
