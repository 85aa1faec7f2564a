using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi.Policies.RateLimit;

/// <summary>
/// RateLimitPolicy: blocks are rate_limit filter documents, validated by the filter's contract and
/// merged field by field (<see cref="RateLimitMerge"/>) into the route's rate_limit feature.
/// </summary>
internal sealed class RateLimitPolicyKind : PolicyKind<RateLimitPolicy, JsonObject, RateLimitConfig>
{
    /// <summary>
    /// Each block parsed once: a provider hands the same block objects to every translation while
    /// their file is unchanged, so a change re-parses only the policies it touched.
    /// </summary>
    private static readonly ConditionalWeakTable<JsonObject, RateLimitConfig> Parsed = [];

    public override string Kind => "RateLimitPolicy";

    public override IrFeatureKey<RateLimitConfig> Feature => IrFeatures.RateLimit;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides.rateLimit" : "spec.defaults.rateLimit";

    public override string? ValidateBlock(JsonObject block, string field)
    {
        if (Parsed.TryGetValue(block, out _))
        {
            return null;
        }

        // Route level accepts {"disabled": true}, which a policy may use to switch limiting off (an exemption).
        if (!RateLimitConfigJson.TryParse(Utf8(block), RateLimitConfigLevel.Route, out var config, out var error))
        {
            return $"{field}.{error}";
        }

        Parsed.AddOrUpdate(block, config!);
        return null;
    }

    public override IPolicyMerge<JsonObject, RateLimitConfig> NewMerge() => new RateLimitMerge(ParsedBlock);

    /// <summary>
    /// A block with a Global rule needs Redis on every Gateway the policy reaches: the Redis of the
    /// Gateway's class (its parametersRef). Without one the policy is Invalid, naming the rule's type.
    /// </summary>
    public override string? ValidateReferences(RateLimitPolicy policy, JsonObject block, string field, PolicyContext context)
    {
        var rules = ParsedBlock(block).Rules ?? [];
        var global = rules.FindIndex(r => r.Type == RateLimitType.Global);
        if (global < 0 || context.Targets is not { } targets)
        {
            return null;
        }

        foreach (var target in policy.TargetRefs)
        {
            foreach (var ancestor in targets.AncestorsOf(policy, target))
            {
                var gateway = ancestor.Namespace + "/" + ancestor.Name;
                if (ancestor.Kind == "Gateway" && context.GatewayParameters.TryGetValue(gateway, out var parameters) && parameters.RateLimit is null)
                {
                    var why = parameters.Error is { } error
                        ? $"its parametersRef is invalid ({error})"
                        : $"it configures none (spec.parametersRef to an {EnvoyExtParameters.KindName} with spec.rateLimit)";
                    return $"{field}.rules[{global}].type: Global needs the Redis of the GatewayClass, and GatewayClass {parameters.ClassName} of Gateway {gateway}: {why}";
                }
            }
        }

        return null;
    }

    /// <summary>A <c>shared</c> bucket name used with another type or limit by another policy on the same listener (<see cref="SharedBucketCheck"/>).</summary>
    public override IReadOnlyDictionary<RateLimitConfig, RateLimitConfig>? CheckListener(
        IReadOnlyCollection<RateLimitConfig> features, IReadOnlyCollection<RateLimitPolicy> policies, Action<string, string> report) =>
        SharedBucketCheck.Check(features, policies, BlockField, ParsedBlock, report);

    /// <summary>A block the engine validated (and so parsed) before merging it.</summary>
    private static RateLimitConfig ParsedBlock(JsonObject block) =>
        Parsed.TryGetValue(block, out var config) ? config : throw new InvalidOperationException("a rate-limit block was merged before it was validated");

    /// <summary>UTF-8 JSON straight from the node tree: the contract's parser reads bytes, so no string is built.</summary>
    private static byte[] Utf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
