using System.Text.Json.Nodes;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.GatewayApi.Status;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>One object's status as this controller wants it: where it goes and the stanza itself.</summary>
internal sealed record DesiredStatus(WatchedKind Kind, string Namespace, string Name, JsonObject Status)
{
    public string Key => Kind.Kind + "/" + Namespace + "/" + Name;
}

/// <summary>
/// Turns the translator's status report into Kubernetes status stanzas. Conditions carry no
/// lastTransitionTime here: the writer keeps the cluster's time when a condition did not change
/// and stamps the time of the write when it did.
/// </summary>
internal static class StatusDocuments
{
    public static IEnumerable<DesiredStatus> From(StatusReport report, IReadOnlyDictionary<string, IReadOnlyList<GatewayAddress>> addresses)
    {
        var kinds = WatchedKind.All.ToDictionary(k => k.Kind, StringComparer.Ordinal);
        foreach (var c in report.GatewayClasses)
        {
            yield return new DesiredStatus(kinds["GatewayClass"], "", c.Name, new JsonObject
            {
                ["conditions"] = Conditions(c.Conditions),
                ["supportedFeatures"] = new JsonArray([.. c.SupportedFeatures.Select(f => (JsonNode)new JsonObject { ["name"] = f })]),
            });
        }

        foreach (var g in report.Gateways)
        {
            var status = new JsonObject();
            if (addresses.TryGetValue(g.Namespace + "/" + g.Name, out var found) && found.Count > 0)
            {
                status["addresses"] = new JsonArray([.. found.Select(a => (JsonNode)new JsonObject { ["type"] = a.Type, ["value"] = a.Value })]);
            }

            status["conditions"] = Conditions(g.Conditions);
            status["listeners"] = new JsonArray([.. g.Listeners.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name,
                ["supportedKinds"] = new JsonArray([.. l.SupportedKinds.Select(k => (JsonNode)new JsonObject { ["group"] = k.Group, ["kind"] = k.Kind })]),
                ["attachedRoutes"] = l.AttachedRoutes,
                ["conditions"] = Conditions(l.Conditions),
            })]);
            yield return new DesiredStatus(kinds["Gateway"], g.Namespace, g.Name, status);
        }

        foreach (var r in report.Routes)
        {
            if (!kinds.TryGetValue(r.Kind, out var kind))
            {
                continue; // a route kind this provider does not watch
            }

            yield return new DesiredStatus(kind, r.Namespace, r.Name, new JsonObject
            {
                ["parents"] = new JsonArray([.. r.Parents.Select(p => (JsonNode)new JsonObject
                {
                    ["parentRef"] = Reference(p.ParentRef),
                    ["controllerName"] = p.ControllerName,
                    ["conditions"] = Conditions(p.Conditions),
                })]),
            });
        }

        foreach (var p in report.Policies)
        {
            if (!kinds.TryGetValue(p.Kind, out var kind))
            {
                continue;
            }

            yield return new DesiredStatus(kind, p.Namespace, p.Name, new JsonObject
            {
                ["ancestors"] = new JsonArray([.. p.Ancestors.Select(a => (JsonNode)new JsonObject
                {
                    ["ancestorRef"] = Reference(a.AncestorRef),
                    ["controllerName"] = a.ControllerName,
                    ["conditions"] = Conditions(a.Conditions),
                })]),
            });
        }
    }

    /// <summary>
    /// The status to write: ours merged into what the object has. Entries of other controllers in
    /// parents/ancestors are kept; a condition whose status did not change keeps its lastTransitionTime.
    /// A Gateway's addresses are ours alone: the desired ones replace the object's (none: removed).
    /// </summary>
    public static JsonObject Merge(JsonObject desired, JsonObject? current, string now)
    {
        var result = (JsonObject)desired.DeepClone();
        foreach (var list in new[] { "parents", "ancestors" })
        {
            if (result[list] is JsonArray ours && current?[list] is JsonArray theirs)
            {
                var kept = theirs.OfType<JsonObject>()
                    .Where(e => (string?)e["controllerName"] != ControllerIdentity.ControllerName)
                    .Select(e => (JsonNode)e.DeepClone())
                    .ToList();
                foreach (var (entry, index) in ours.OfType<JsonObject>().Select((e, i) => (e, i)))
                {
                    var previous = theirs.OfType<JsonObject>().FirstOrDefault(e =>
                        (string?)e["controllerName"] == ControllerIdentity.ControllerName && JsonNode.DeepEquals(e["parentRef"] ?? e["ancestorRef"], entry["parentRef"] ?? entry["ancestorRef"]));
                    StampTimes(entry, previous, now);
                }

                foreach (var other in kept)
                {
                    ours.Add(other);
                }
            }
            else if (result[list] is JsonArray only)
            {
                foreach (var entry in only.OfType<JsonObject>())
                {
                    StampTimes(entry, null, now);
                }
            }
        }

        StampTimes(result, current, now);
        if (result["listeners"] is JsonArray listeners)
        {
            foreach (var listener in listeners.OfType<JsonObject>())
            {
                var previous = (current?["listeners"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(l => (string?)l["name"] == (string?)listener["name"]);
                StampTimes(listener, previous, now);
            }
        }

        return result;
    }

    private static void StampTimes(JsonObject holder, JsonObject? previous, string now)
    {
        if (holder["conditions"] is not JsonArray conditions)
        {
            return;
        }

        foreach (var condition in conditions.OfType<JsonObject>())
        {
            var before = (previous?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == (string?)condition["type"]);
            condition["lastTransitionTime"] = before is not null && (string?)before["status"] == (string?)condition["status"] && before["lastTransitionTime"] is { } kept
                ? kept.DeepClone()
                : now;
        }
    }

    private static JsonArray Conditions(IReadOnlyList<Condition> conditions) =>
        new([.. conditions.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = c.Type,
            ["status"] = c.Status,
            ["reason"] = c.Reason,
            ["message"] = c.Message.Length > 32_768 ? c.Message[..32_768] : c.Message,
            ["observedGeneration"] = c.ObservedGeneration,
        })]);

    private static JsonObject Reference(ParentRefStatus r)
    {
        var json = new JsonObject { ["group"] = r.Group, ["kind"] = r.Kind, ["namespace"] = r.Namespace, ["name"] = r.Name };
        if (r.SectionName is not null)
        {
            json["sectionName"] = r.SectionName;
        }

        if (r.Port is { } port)
        {
            json["port"] = port;
        }

        return json;
    }
}
