using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.Traffic;

/// <summary>
/// TrafficPolicy: a block holds sections for our fault, bandwidth_limit and concurrency_limit filters
/// (each the filter's own document, checked by its contract) and for what Envoy does itself (request
/// timeout, retries, circuit breakers). Blocks merge section by section (<see cref="TrafficMerge"/>)
/// into the route's <see cref="IrFeatures.Traffic"/> feature.
/// </summary>
internal sealed class TrafficPolicyKind : PolicyKind<TrafficPolicy, JsonObject, IrTraffic>
{
    /// <summary>Each block parsed once (a provider hands the same block objects to every translation while their file is unchanged).</summary>
    private static readonly ConditionalWeakTable<JsonObject, TrafficBlock> Parsed = [];

    public override string Kind => "TrafficPolicy";

    public override IrFeatureKey<IrTraffic> Feature => IrFeatures.Traffic;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides" : "spec.defaults";

    public override string? ValidateBlock(JsonObject block, string field)
    {
        if (Parsed.TryGetValue(block, out _))
        {
            return null;
        }

        if (!TrafficBlockParser.TryParseBlock(block, out var traffic, out var error))
        {
            return $"{field}.{error}";
        }

        Parsed.AddOrUpdate(block, traffic!);
        return null;
    }

    public override IPolicyMerge<JsonObject, IrTraffic> NewMerge() => new TrafficMerge(ParsedBlock);

    private static TrafficBlock ParsedBlock(JsonObject block) =>
        Parsed.TryGetValue(block, out var traffic) ? traffic : throw new InvalidOperationException("a traffic block was merged before it was validated");
}
