using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies;

/// <summary>
/// The result of resolving one chain of policies: the filter config (null = no rate limiting),
/// which policies had fields replaced by which, and an error when the merged document is invalid.
/// </summary>
internal sealed record EffectiveRateLimit(
    RateLimitConfig? Config,
    IReadOnlyList<(string Overridden, string By)> Replacements,
    string? MostSpecificPolicy,
    string? Error)
{
    public static EffectiveRateLimit None { get; } = new(null, [], null, null);
}
