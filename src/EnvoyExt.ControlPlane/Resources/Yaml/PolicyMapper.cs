using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>Reads our RateLimitPolicy. Rule contents are validated later by the filter's parser.</summary>
internal static class PolicyMapper
{
    public static RateLimitPolicy RateLimitPolicy(YamlCursor doc)
    {
        var spec = doc.Map("spec");
        return new RateLimitPolicy
        {
            ApiVersion = doc.String("apiVersion"),
            Metadata = ResourceMapper.Metadata(doc),
            Origin = ResourceMapper.Origin(doc),
            TargetRefs = spec.List("targetRefs", t => new PolicyTargetReference(
                t.OptString("group") ?? GroupNames.GatewayApi, t.String("kind"), t.String("name"), t.OptString("sectionName"))),
            Defaults = RateLimitDocument(spec.OptMap("defaults")),
            Overrides = RateLimitDocument(spec.OptMap("overrides")),
        };
    }

    private static JsonObject? RateLimitDocument(YamlCursor? block)
    {
        if (block?.Node.Get("rateLimit") is not { } node)
        {
            return null;
        }

        return YamlToJson.Convert(node) as JsonObject ?? throw block.Invalid("rateLimit", "expected a mapping");
    }
}
