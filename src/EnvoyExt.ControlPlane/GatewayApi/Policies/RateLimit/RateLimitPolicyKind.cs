using System.Buffers;
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
    public override string Kind => "RateLimitPolicy";

    public override IrFeatureKey<RateLimitConfig> Feature => IrFeatures.RateLimit;

    public override string BlockField(bool overrides) => overrides ? "spec.overrides.rateLimit" : "spec.defaults.rateLimit";

    public override string? ValidateBlock(JsonObject block, string field) =>
        // Route level accepts {"disabled": true}, which a policy may use to switch limiting off (an exemption).
        RateLimitConfigJson.TryParse(Utf8(block), RateLimitConfigLevel.Route, out _, out var error) ? null : $"{field}.{error}";

    public override IPolicyMerge<JsonObject, RateLimitConfig> NewMerge() => new RateLimitMerge();

    /// <summary>UTF-8 JSON straight from the node tree: the contract's parser reads bytes, so no string is built.</summary>
    internal static byte[] Utf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
