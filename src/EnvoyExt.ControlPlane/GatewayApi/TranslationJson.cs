using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnvoyExt.ControlPlane.GatewayApi.Status;
using EnvoyExt.ControlPlane.Ir;
using EnvoyExt.Filters.Auth.Config;
using EnvoyExt.Filters.RateLimit.Config;

namespace EnvoyExt.ControlPlane.GatewayApi;

/// <summary>
/// Stable, indented JSON of the IR and status: what golden tests compare, the admin endpoint
/// serves and the CLI prints. Rate-limit configs are written with the filter's own serializer, so
/// they read exactly as the filter will receive them.
/// </summary>
public static class TranslationJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(TranslationResult result) => JsonSerializer.Serialize(result, Options);

    public static string Serialize(IrSnapshot ir) => JsonSerializer.Serialize(ir, Options);

    public static string Serialize(StatusReport status) => JsonSerializer.Serialize(status, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new RouteActionConverter());
        options.Converters.Add(new RateLimitConfigConverter());
        options.Converters.Add(new ExtAuthFeatureConverter());
        options.Converters.Add(new AuthFeatureConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes an action as {"forward": {...}}, {"redirect": {...}} or {"directResponse": {...}}.</summary>
    private sealed class RouteActionConverter : JsonConverter<IrRouteAction>
    {
        public override IrRouteAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the IR is written, never read");

        public override void Write(Utf8JsonWriter writer, IrRouteAction value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(value switch
            {
                IrForward => "forward",
                IrRedirect => "redirect",
                IrDirectResponse => "directResponse",
                _ => value.GetType().Name,
            });
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes the ext_auth feature as the filter's document (its cluster is named inside it).</summary>
    private sealed class ExtAuthFeatureConverter : JsonConverter<IrExtAuth>
    {
        public override IrExtAuth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the IR is written, never read");

        public override void Write(Utf8JsonWriter writer, IrExtAuth value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Config, options);
    }

    /// <summary>Writes the auth feature as the filter's document: secrets by SDS name, never their values.</summary>
    private sealed class AuthFeatureConverter : JsonConverter<IrAuth>
    {
        public override IrAuth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the IR is written, never read");

        public override void Write(Utf8JsonWriter writer, IrAuth value, JsonSerializerOptions options)
        {
            using var document = JsonDocument.Parse(AuthConfigJson.Serialize(value.Config));
            document.WriteTo(writer);
        }
    }

    private sealed class RateLimitConfigConverter : JsonConverter<RateLimitConfig>
    {
        public override RateLimitConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the IR is written, never read");

        public override void Write(Utf8JsonWriter writer, RateLimitConfig value, JsonSerializerOptions options)
        {
            using var document = JsonDocument.Parse(RateLimitConfigJson.Serialize(value));
            document.WriteTo(writer);
        }
    }
}
