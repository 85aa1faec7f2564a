using System.Diagnostics;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.XdsServer;

namespace EnvoyExt.Controller;

/// <summary>
/// provider output -> Gateway API translator (IR + status) -> xDS publisher. The only place that
/// knows both halves; each call handles one consistent resource set.
/// </summary>
internal static class ControllerPipeline
{
    /// <summary>Translates and publishes one resource set; a failure keeps the last good snapshot serving.</summary>
    public static void Run(ResourceSet resources, long resourceVersion, XdsPublisher publisher)
    {
        var stopwatch = Stopwatch.StartNew();
        TranslationResult result;
        try
        {
            result = GatewayApiTranslator.Translate(resources);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The translator reports bad input through status; an exception here is a bug, and
            // the controller keeps serving the previous snapshot rather than dying.
            publisher.ReportError($"Gateway API translation of resource version {resourceVersion} failed: {e.GetType().Name}: {e.Message}");
            return;
        }
        publisher.Publish(result.Ir, StatusDocument(result, resources, resourceVersion), stopwatch.Elapsed);
    }

    /// <summary>The Gateway API status, plus the provider's problems (bad files with file, line and field).</summary>
    public static JsonObject StatusDocument(TranslationResult result, ResourceSet resources, long resourceVersion) => new()
    {
        ["resourceVersion"] = resourceVersion,
        ["problems"] = new JsonArray(resources.Problems.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        ["report"] = JsonNode.Parse(TranslationJson.Serialize(result.Status)),
    };
}
