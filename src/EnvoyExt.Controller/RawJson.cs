using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnvoyExt.Controller;

/// <summary>
/// A JSON document kept as its UTF-8 text and written as-is wherever it is serialized. For data
/// that is held long and read rarely (the status behind /status): a JsonNode tree of 10,000
/// routes' status is ~55 MiB and a parsed JsonDocument rents pool buffers that stay alive, while
/// the text is ~6 MiB.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(byte[] utf8)
{
    public ReadOnlySpan<byte> Utf8 => utf8;

    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new RawJson(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
        }

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8, skipInputValidation: true);
    }
}
