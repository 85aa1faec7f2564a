using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Our policy CRD (gateway.envoyext.io/v1alpha1). The rateLimit blocks are the rate-limit filter's
/// JSON document (docs/filters/rate-limit.md) kept as JSON, so the filter's own parser validates them
/// and the schema lives in one place.
/// </summary>
public sealed record RateLimitPolicy : KubernetesResource
{
    public override string Kind => "RateLimitPolicy";

    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];

    /// <summary>spec.defaults.rateLimit: refined field by field by more specific policies.</summary>
    public JsonObject? Defaults { get; init; }

    /// <summary>spec.overrides.rateLimit: less specific wins; a Gateway override beats every route.</summary>
    public JsonObject? Overrides { get; init; }
}

public sealed record PolicyTargetReference(string Group, string Kind, string Name, string? SectionName);
