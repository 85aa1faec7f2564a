using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Reads our policy kinds (group gateway.envoyext.io). Each kind is one entry in <see cref="Kinds"/>;
/// targetRefs and metadata are read the same way for all of them. Block contents are validated
/// later, by the kind's own validator in the attachment engine.
/// </summary>
internal static class PolicyMapper
{
    private static readonly Dictionary<(string Kind, string Version), Func<YamlCursor, PolicyResource>> Kinds = new()
    {
        [("RateLimitPolicy", "v1alpha1")] = RateLimitPolicy,
        [("TrafficPolicy", "v1alpha1")] = TrafficPolicy,
        [("AuthPolicy", "v1alpha1")] = AuthPolicy,
    };

    /// <summary>Whether <paramref name="kind"/> at <paramref name="version"/> is one of our policy kinds.</summary>
    public static bool Handles(string version, string kind) => Kinds.ContainsKey((kind, version));

    /// <summary>The policy of this kind and version, or null when it is not one of ours.</summary>
    public static PolicyResource? Map(string group, string version, string kind, YamlCursor doc) =>
        group == GroupNames.EnvoyExt && Kinds.TryGetValue((kind, version), out var map) ? map(doc) : null;

    public static RateLimitPolicy RateLimitPolicy(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new RateLimitPolicy
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            TargetRefs = TargetRefs(spec),
            Defaults = JsonBlock(spec.OptMap("defaults"), "rateLimit"),
            Overrides = JsonBlock(spec.OptMap("overrides"), "rateLimit"),
        };
    }

    /// <summary>A TrafficPolicy: each block is the whole <c>defaults</c> / <c>overrides</c> mapping (its sections).</summary>
    public static TrafficPolicy TrafficPolicy(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new TrafficPolicy
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            TargetRefs = TargetRefs(spec),
            Defaults = JsonBlock(spec, "defaults"),
            Overrides = JsonBlock(spec, "overrides"),
        };
    }

    /// <summary>An AuthPolicy: each block is the whole <c>defaults</c> / <c>overrides</c> mapping (its sections).</summary>
    public static AuthPolicy AuthPolicy(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new AuthPolicy
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            TargetRefs = TargetRefs(spec),
            Defaults = JsonBlock(spec, "defaults"),
            Overrides = JsonBlock(spec, "overrides"),
        };
    }

    /// <summary>spec.targetRefs; group defaults to gateway.networking.k8s.io.</summary>
    public static IReadOnlyList<PolicyTargetReference> TargetRefs(YamlCursor spec) =>
        spec.List("targetRefs", t => new PolicyTargetReference(
            t.OptString("group") ?? GroupNames.GatewayApi, t.String("kind"), t.String("name"), t.OptString("sectionName")));

    /// <summary>A block's <paramref name="field"/> mapping as JSON (null when absent).</summary>
    public static JsonObject? JsonBlock(YamlCursor? block, string field)
    {
        if (block?.Node.Get(field) is not { } node)
        {
            return null;
        }

        return YamlToJson.Convert(node) as JsonObject ?? throw block.Invalid(field, "expected a mapping");
    }
}
