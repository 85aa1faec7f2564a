using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: per group-version documents whose PATCH operations carry
/// the GVK extension and the fieldValidation parameter, so kubectl validates on the server
/// (fieldValidation=Strict) instead of downloading schemas. No schemas are published.
/// </summary>
internal static class OpenApiV3
{
    public static JsonObject Root(IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var gv in types.Select(Prefix).Distinct())
        {
            paths[gv] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + gv + "?hash=0" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject GroupVersion(IReadOnlyList<ResourceType> types, string prefix)
    {
        var paths = new JsonObject();
        foreach (var type in types.Where(t => Prefix(t) == prefix))
        {
            var path = "/" + prefix + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Plural + "/{name}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string Prefix(ResourceType type) => type.Group.Length == 0 ? "api/" + type.Version : "apis/" + type.Group + "/" + type.Version;
}
