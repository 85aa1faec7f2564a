using System.Text.Json;

namespace EnvoyExt.TestModule.Diagnostics;

/// <summary>
/// Reads the diagnostic filters' tiny configs: a JSON object whose fields are all strings. Written with
/// Utf8JsonReader (no reflection, AOT-clean). An empty buffer means "no config" and yields no fields.
/// Errors are "&lt;json.path&gt;: &lt;reason&gt;" as the SDK contract asks.
/// </summary>
internal static class FlatJsonConfig
{
    public static bool TryParse(ReadOnlySpan<byte> json, ReadOnlySpan<string> allowedFields,
                                out Dictionary<string, string> fields, out string? error)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        if (json.IsEmpty)
        {
            return true;
        }
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "$: must be a JSON object";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!allowedFields.Contains(name))
                {
                    error = $"{name}: unknown field (allowed: {string.Join(", ", allowedFields.ToArray())})";
                    return false;
                }
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = $"{name}: must be a string";
                    return false;
                }
                fields[name] = reader.GetString()!;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "$: trailing content after the JSON object";
                return false;
            }
            return true;
        }
        catch (JsonException ex)
        {
            error = $"$: invalid JSON: {ex.Message}";
            return false;
        }
    }
}
