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
    /// they accepted, and every rejection not yet followed by an accepted update.
    /// </summary>
    public static JsonObject Status(XdsPublisher publisher, XdsSnapshotCache cache, XdsStreamRegistry registry)
    {
        var streams = new JsonArray();
        foreach (var stream in registry.Streams)
        {
            var acked = new JsonObject();
            foreach (var (type, version) in stream.AckedVersions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                acked[XdsTypeUrls.Label(type)] = version;
            }
            streams.Add(new JsonObject
            {
                ["nodeId"] = stream.NodeId,
                ["gateway"] = stream.NodeKey,
                ["connectedAt"] = stream.ConnectedAt.ToString("O"),
                ["acked"] = acked,
            });
        }
        var nacks = new JsonArray();
        foreach (var nack in registry.OpenNacks)
        {
            nacks.Add(new JsonObject
            {
                ["gateway"] = nack.NodeKey,
                ["nodeId"] = nack.NodeId,
                ["type"] = XdsTypeUrls.Label(nack.TypeUrl),
                ["rejectedVersion"] = nack.RejectedVersion,
                ["message"] = nack.Message,
                ["at"] = nack.At.ToString("O"),
            });
        }
        return new JsonObject
        {
            ["gatewayApi"] = publisher.LatestStatus is null ? null : JsonSerializer.SerializeToNode(publisher.LatestStatus, StatusJson),
            ["lastError"] = publisher.LatestError,
            ["xds"] = new JsonObject
            {
                ["snapshotVersion"] = cache.Version,
                ["streams"] = streams,
                ["nacks"] = nacks,
            },
        };
    }

    public static string Indented(JsonNode node) => node.ToJsonString(StatusJson) + "\n";
}
