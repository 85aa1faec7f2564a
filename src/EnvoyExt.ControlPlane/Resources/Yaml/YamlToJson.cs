using System.Globalization;
using System.Text.Json.Nodes;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// Converts a YAML subtree to JSON with YAML 1.2 core-schema typing (plain true/false, null,
/// numbers; quoted scalars stay strings). Used for the rate-limit document, whose schema belongs to
/// the filter and is validated by the filter's parser, not re-described here.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(TreeNode node) => node switch
    {
        TreeMapping map => ConvertMap(map),
        TreeSequence sequence => ConvertSequence(sequence),
        TreeScalar scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMap(TreeMapping map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Entries)
        {
            result[key] = Convert(value);
        }

        return result;
    }

    private static JsonArray ConvertSequence(TreeSequence sequence)
    {
        var result = new JsonArray();
        foreach (var item in sequence.Items)
        {
            result.Add(Convert(item));
        }

        return result;
    }

    private static JsonValue? ConvertScalar(TreeScalar scalar)
    {
        var text = scalar.Value;
        if (!scalar.Plain)
        {
            return JsonValue.Create(text);
        }

        if (scalar.IsNull)
        {
            return null;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
