using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Our policy CRD (gateway.envoyext.io/v1alpha1). The rateLimit blocks (<see cref="PolicyResource{TSpec}.Defaults"/>,
/// <see cref="PolicyResource{TSpec}.Overrides"/>) are the rate-limit filter's JSON document
/// (docs/filters/rate-limit.md) kept as JSON, so the filter's contract validates them and the schema
/// lives in one place.
/// </summary>
public sealed record RateLimitPolicy : PolicyResource<JsonObject>
{
    public override string Kind => "RateLimitPolicy";
}
