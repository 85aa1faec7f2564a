using System.Text.Json;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// Turns an API server object (JSON) into the node tree the YAML mappers read, so objects from the
/// cluster go through the same field reads, validation and bounds as files do. JSON strings become
/// quoted scalars (never numbers or booleans), everything else plain scalars, as YAML would type them.
/// </summary>
internal static class JsonToTree
{
    private const int MaxDepth = 256;

    public static TreeNode Convert(JsonElement element, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new JsonException($"nested deeper than {MaxDepth} levels");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, TreeNode>>();
                foreach (var property in element.EnumerateObject())
                {
                    entries.Add(KeyValuePair.Create(property.Name, Convert(property.Value, depth + 1)));
                }

                return new TreeMapping(1, entries);
            case JsonValueKind.Array:
                var items = new List<TreeNode>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Convert(item, depth + 1));
                }

                return new TreeSequence(1, items);
            case JsonValueKind.String:
                return new TreeScalar(1, element.GetString()!, plain: false);
            case JsonValueKind.Null:
                return new TreeScalar(1, "null", plain: true);
            default:
                // Numbers and booleans: their JSON text is also their plain YAML spelling.
                return new TreeScalar(1, element.GetRawText(), plain: true);
        }
    }
}
