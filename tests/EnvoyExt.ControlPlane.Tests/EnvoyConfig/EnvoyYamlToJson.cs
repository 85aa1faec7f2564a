using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnvoyExt.ControlPlane.Tests.EnvoyConfig;

/// <summary>
/// Turns an Envoy YAML file into JSON the way Envoy's loader (yaml-cpp) types scalars before the
/// protobuf JSON parser sees them: a quoted or block scalar is always a string; a plain scalar is
/// null, a bool, an integer or a float when it reads as one, otherwise a string. This matters for
/// strictness: `name: 8080` is a number and fails against a string field, in Envoy and here.
/// </summary>
internal static class EnvoyYamlToJson
{
    // yaml-cpp's bool spellings (each in lower, Capitalised and UPPER case).
    private static readonly string[] s_true = ["true", "yes", "on", "y"];
    private static readonly string[] s_false = ["false", "no", "off", "n"];

    public static string Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            // Envoy reads exactly one document from a bootstrap file.
            throw new FormatException($"expected exactly one YAML document, found {stream.Documents.Count}");
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(stream.Documents[0].RootNode, writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(YamlNode node, Utf8JsonWriter writer)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new FormatException($"line {key.Start.Line}: a mapping key must be a plain string");
                    }
                    writer.WritePropertyName(name);
                    Write(value, writer);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(item, writer);
                }
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(scalar, writer);
                break;
            default:
                throw new FormatException($"line {node.Start.Line}: unsupported YAML node {node.NodeType}");
        }
    }

    private static void WriteScalar(YamlScalarNode scalar, Utf8JsonWriter writer)
    {
        string text = scalar.Value ?? "";
        bool explicitString = !scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str";
        if (scalar.Style != ScalarStyle.Plain || explicitString)
        {
            writer.WriteStringValue(text);
            return;
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (IsBool(text, s_true))
        {
            writer.WriteBooleanValue(true);
        }
        else if (IsBool(text, s_false))
        {
            writer.WriteBooleanValue(false);
        }
        else if (TryInteger(text, out long integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    private static bool IsBool(string text, string[] spellings)
    {
        foreach (string s in spellings)
        {
            if (text == s || text == s.ToUpperInvariant() || text == char.ToUpperInvariant(s[0]) + s[1..])
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryInteger(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0X", StringComparison.Ordinal))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
