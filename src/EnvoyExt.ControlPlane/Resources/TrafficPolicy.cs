using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// Our traffic-shaping policy CRD (gateway.envoyext.io/v1alpha1, docs/policies.md). A block
/// (<see cref="PolicyResource{TSpec}.Defaults"/>, <see cref="PolicyResource{TSpec}.Overrides"/>) is kept
/// as JSON: its filter sections are the filters' own documents, validated by their contracts.
/// </summary>
public sealed record TrafficPolicy : PolicyResource<JsonObject>
{
    public override string Kind => "TrafficPolicy";
}
