using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Telemetry;
using EnvoyExt.ControlPlane.XdsServer;

namespace EnvoyExt.Controller;

/// <summary>
/// provider output -> Gateway API translator (IR + status) -> xDS publisher. The only place that
/// knows both halves; each call handles one consistent resource set.
/// </summary>
internal static class ControllerPipeline
{
    /// <summary>
    /// Translates and publishes one resource set; a failure keeps the last good snapshot serving
    /// and returns null. The result's status is what the Kubernetes provider writes back.
    /// </summary>
    public static TranslationResult? Run(ResourceSet resources, long resourceVersion, XdsPublisher publisher)
    {
        using var span = ControllerTelemetry.StartTranslation(resourceVersion, resources);
        var stopwatch = Stopwatch.StartNew();
        TranslationResult result;
        try
        {
            using var stage = ControllerTelemetry.StartStage("gateway-api");
            result = GatewayApiTranslator.Translate(resources);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The translator reports bad input through status; an exception here is a bug, and
            // the controller keeps serving the previous snapshot rather than dying.
            var message = $"Gateway API translation of resource version {resourceVersion} failed: {e.GetType().Name}: {e.Message}";
            publisher.ReportError(message);
            ControllerTelemetry.Failed(span, message);
            return null;
        }
        var ir = result.Ir;
        var status = CompactStatus(result, resources, resourceVersion);
        if (publisher.Publish(ir, status, stopwatch.Elapsed) is null)
        {
            ControllerTelemetry.Failed(span, publisher.LatestError ?? "xDS translation failed");
        }
        return result;
    }

    /// <summary>
    /// The same document as <see cref="StatusDocument"/>, kept for /status as UTF-8 text: the
    /// serving controller holds it until the next change (see <see cref="RawJson"/> for the sizes).
    /// It is written straight from the report, not via a string and a parse, into chunks that
    /// are copied once into the kept array.
    /// </summary>
    public static RawJson CompactStatus(TranslationResult result, ResourceSet resources, long resourceVersion)
    {
        var buffer = new ChunkedBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = TranslationJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("resourceVersion", resourceVersion);
            writer.WriteStartArray("problems");
            foreach (var problem in resources.Problems)
            {
                writer.WriteStringValue(problem);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("report");
            JsonSerializer.Serialize(writer, result.Status, TranslationJson.Options);
            writer.WriteEndObject();
        }

        return new RawJson(buffer.ToArray());
    }

    /// <summary>The Gateway API status, plus the provider's problems (bad files with file, line and field).</summary>
    public static JsonObject StatusDocument(TranslationResult result, ResourceSet resources, long resourceVersion) => new()
    {
        ["resourceVersion"] = resourceVersion,
        ["problems"] = new JsonArray(resources.Problems.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        ["report"] = JsonNode.Parse(TranslationJson.Serialize(result.Status)),
    };
}
