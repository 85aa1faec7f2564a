using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.XdsServer;
using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.Admin;

/// <summary>The JSON documents the admin endpoint serves, built from the live pipeline state.</summary>
public static class AdminDocuments
{
    private static readonly JsonSerializerOptions StatusJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>{"version": n, "gateways": {"ns/gw": {"versions": {...}, "clusters": [...], ...}}}.</summary>
    public static JsonObject Snapshot(XdsSnapshotCache cache)
    {
        var gateways = new JsonObject();
        foreach (var (key, resources) in cache.All())
        {
            var node = XdsJson.ToNode(resources);
            var versions = new JsonObject();
            foreach (var typeUrl in XdsTypeUrls.PushOrder)
            {
                versions[XdsTypeUrls.Label(typeUrl)] = resources.Version(typeUrl);
            }
            node.Insert(0, "versions", versions);
            gateways[key] = node;
        }
        return new JsonObject { ["version"] = cache.Version, ["gateways"] = gateways };
    }

    /// <summary>
    /// Gateway API status from the latest translation plus the xDS side: connected proxies, what
    /// they accepted, and every rejection not yet followed by an accepted update. Written straight
    /// to <paramref name="writer"/>: the Gateway API part is kept as text and copied as-is, never
    /// turned into a tree per request.
    /// </summary>
    public static void WriteStatus(Utf8JsonWriter writer, XdsPublisher publisher, XdsSnapshotCache cache, XdsStreamRegistry registry)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("gatewayApi");
        if (publisher.LatestStatus is { } status)
        {
            JsonSerializer.Serialize(writer, status, status.GetType(), StatusJson);
        }
        else
        {
            writer.WriteNullValue();
        }
        if (publisher.LatestError is { } error)
        {
            writer.WriteString("lastError", error);
        }
        else
        {
            writer.WriteNull("lastError");
        }
        writer.WriteStartObject("xds");
        writer.WriteNumber("snapshotVersion", cache.Version);
        writer.WriteStartArray("streams");
        foreach (var stream in registry.Streams)
        {
            writer.WriteStartObject();
            writer.WriteString("nodeId", stream.NodeId);
            writer.WriteString("gateway", stream.NodeKey);
            writer.WriteString("connectedAt", stream.ConnectedAt.ToString("O"));
            writer.WriteStartObject("acked");
            foreach (var (type, version) in stream.AckedVersions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(XdsTypeUrls.Label(type), version);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("nacks");
        foreach (var nack in registry.OpenNacks)
        {
            writer.WriteStartObject();
            writer.WriteString("gateway", nack.NodeKey);
            writer.WriteString("nodeId", nack.NodeId);
            writer.WriteString("type", XdsTypeUrls.Label(nack.TypeUrl));
            writer.WriteString("rejectedVersion", nack.RejectedVersion);
            writer.WriteString("message", nack.Message);
            writer.WriteString("at", nack.At.ToString("O"));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static JsonWriterOptions WriterOptions => new() { Indented = true, Encoder = StatusJson.Encoder };

    public static string Indented(JsonNode node) => node.ToJsonString(StatusJson) + "\n";
}
