using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace EnvoyExt.ControlPlane.Tests.Kubernetes.ApiServer;

/// <summary>One change as a watch stream carries it.</summary>
internal sealed record WatchEvent(string Type, ResourceType ResourceType, JsonObject Object, long ResourceVersion);

/// <summary>Why a write was refused, as the API server's Status reason and HTTP code.</summary>
internal sealed class ApiException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;
}

/// <summary>
/// The double's etcd: every object of every type under one lock, one resourceVersion counter
/// shared by all types (as etcd's revision is), and a bounded event history that watches replay
/// from. History older than what is kept answers a watch with 410 Gone, as a compacted etcd does.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<Subscription> _watchers = [];
    private long _resourceVersion = 100;
    private long _oldestReplayable = 100;
    private int _uid;

    public int HistoryLimit { get; set; } = 10_000;

    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    private static string Key(ResourceType type, string ns, string name) => $"{type.Group}/{type.Plural}/{ns}/{name}";

    public JsonObject? Get(ResourceType type, string ns, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(Key(type, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Objects of a type (every namespace when ns is null), and the version the list is consistent at.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns)
    {
        lock (_lock)
        {
            var prefix = ns is null ? $"{type.Group}/{type.Plural}/" : $"{type.Group}/{type.Plural}/{ns}/";
            var items = _objects.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (JsonObject)kv.Value.DeepClone())
                .ToList();
            return (items, _resourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, string ns, JsonObject obj)
    {
        lock (_lock)
        {
            var meta = Meta(obj);
            var name = (string?)meta["name"];
            if (string.IsNullOrEmpty(name) && (string?)meta["generateName"] is { Length: > 0 } generate)
            {
                name = generate + (++_uid).ToString("x5", CultureInfo.InvariantCulture);
                meta["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                throw new ApiException(422, "Invalid", "metadata.name: Required value: name or generateName is required");
            }

            if (type.Namespaced && type.Kind != "Namespace" && !_objects.ContainsKey(Key(NamespaceType, "", ns)))
            {
                throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found");
            }

            var key = Key(type, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw new ApiException(409, "AlreadyExists", $"{type.Plural}.{type.Group} \"{name}\" already exists");
            }

            if (type.Namespaced)
            {
                meta["namespace"] = ns;
            }
            else
            {
                meta.Remove("namespace"); // cluster-scoped objects have none, whatever the client sent
            }

            meta["uid"] = $"00000000-0000-0000-0000-{++_uid:D12}";
            meta["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            meta["generation"] = 1L;
            meta.Remove("resourceVersion");
            obj["apiVersion"] = type.ApiVersion;
            obj["kind"] = type.Kind;
            return Commit("ADDED", type, key, obj);
        }
    }

    /// <summary>
    /// Replaces an object with what <paramref name="change"/> makes of it. A resourceVersion in the
    /// result that is not the current one is a conflict (optimistic concurrency); the status
    /// subresource only changes status, the main resource never does when the type has one.
    /// </summary>
    public JsonObject Update(ResourceType type, string ns, string name, bool statusOnly, Func<JsonObject, JsonObject> change, bool createIfMissing = false)
    {
        lock (_lock)
        {
            var key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                if (createIfMissing && !statusOnly)
                {
                    var fresh = change(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
                    return Create(type, ns, fresh);
                }

                throw new ApiException(404, "NotFound", $"{type.Plural}.{type.Group} \"{name}\" not found");
            }

            var proposed = change((JsonObject)current.DeepClone());
            var proposedVersion = (string?)Meta(proposed)["resourceVersion"];
            var currentVersion = (string?)Meta(current)["resourceVersion"];
            if (!string.IsNullOrEmpty(proposedVersion) && proposedVersion != currentVersion)
            {
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.Plural}.{type.Group} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            var next = (JsonObject)current.DeepClone();
            if (statusOnly)
            {
                next["status"] = proposed["status"]?.DeepClone();
            }
            else
            {
                foreach (var (field, value) in proposed)
                {
                    if (field is "metadata" or "status" or "apiVersion" or "kind")
                    {
                        continue;
                    }

                    next[field] = value?.DeepClone();
                }

                foreach (var field in current.Select(kv => kv.Key).ToList())
                {
                    if (field is not ("metadata" or "status" or "apiVersion" or "kind") && !proposed.ContainsKey(field))
                    {
                        next.Remove(field);
                    }
                }

                if (!type.HasStatus)
                {
                    next["status"] = proposed["status"]?.DeepClone();
                    if (next["status"] is null)
                    {
                        next.Remove("status");
                    }
                }

                var nextMeta = Meta(next);
                var proposedMeta = Meta(proposed);
                foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                {
                    nextMeta[field] = proposedMeta[field]?.DeepClone();
                    if (nextMeta[field] is null)
                    {
                        nextMeta.Remove(field);
                    }
                }

                if (!SameContent(current, next))
                {
                    nextMeta["generation"] = ((long?)Meta(current)["generation"] ?? 1) + 1;
                }
            }

            if (JsonNode.DeepEquals(current, next))
            {
                // A no-op write changes nothing, not even the resourceVersion, and sends no event.
                return (JsonObject)current.DeepClone();
            }

            return Commit("MODIFIED", type, key, next);
        }
    }

    public JsonObject Delete(ResourceType type, string ns, string name)
    {
        lock (_lock)
        {
            var key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw new ApiException(404, "NotFound", $"{type.Plural}.{type.Group} \"{name}\" not found");
            }

            _objects.Remove(key);
            var gone = (JsonObject)current.DeepClone();
            Record("DELETED", type, gone);
            return (JsonObject)gone.DeepClone();
        }
    }

    /// <summary>
    /// Registers a watch. Events after <paramref name="fromVersion"/> are replayed first; null means
    /// "now", with every current object sent as ADDED first (resourceVersion "0" or unset).
    /// Returns null when that version is older than the kept history (the caller answers 410).
    /// </summary>
    public Subscription? Watch(ResourceType type, string? ns, long? fromVersion)
    {
        lock (_lock)
        {
            if (fromVersion is { } from && from < _oldestReplayable)
            {
                return null;
            }

            var subscription = new Subscription(this, type, ns);
            if (fromVersion is null)
            {
                foreach (var item in List(type, ns).Items)
                {
                    subscription.Offer(new WatchEvent("ADDED", type, item, _resourceVersion));
                }
            }
            else
            {
                foreach (var past in _history.Where(e => e.ResourceVersion > fromVersion))
                {
                    subscription.Offer(past);
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Forgets all history up to now: a watch from any earlier version gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _oldestReplayable = _resourceVersion;
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or a load balancer timeout does.</summary>
    public void DropWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>
    /// Drops every watch, applies <paramref name="changes"/> and compacts, as one step: a client that
    /// reconnects at once still resumes from a version that is gone (the lock is reentrant, so the
    /// changes may use the store; a new watch waits for the step to end).
    /// </summary>
    public void WhileWatchesAreDown(Action changes)
    {
        lock (_lock)
        {
            DropWatches();
            changes();
            Compact();
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            _watchers.Remove(subscription);
        }
    }

    private static readonly ResourceType NamespaceType = BuiltInTypes.All().First(t => t.Kind == "Namespace");

    private JsonObject Commit(string eventType, ResourceType type, string key, JsonObject obj)
    {
        Meta(obj)["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        _objects[key] = obj;
        Record(eventType, type, obj, _resourceVersion);
        return (JsonObject)obj.DeepClone();
    }

    private void Record(string eventType, ResourceType type, JsonObject obj, long? version = null)
    {
        if (version is null)
        {
            version = ++_resourceVersion;
            Meta(obj)["resourceVersion"] = version.Value.ToString(CultureInfo.InvariantCulture);
        }

        var change = new WatchEvent(eventType, type, (JsonObject)obj.DeepClone(), version.Value);
        _history.Add(change);
        if (_history.Count > HistoryLimit)
        {
            _oldestReplayable = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }
    }

    private static bool SameContent(JsonObject a, JsonObject b)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = (JsonObject)o.DeepClone();
            copy.Remove("metadata");
            copy.Remove("status");
            return copy;
        }

        return JsonNode.DeepEquals(Strip(a), Strip(b));
    }

    public static JsonObject Meta(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    /// <summary>One open watch: the events it will be sent, filtered to its type and namespace.</summary>
    internal sealed class Subscription(ObjectStore store, ResourceType type, string? ns) : IDisposable
    {
        public Channel<WatchEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<WatchEvent>();

        public void Offer(WatchEvent change)
        {
            if (change.ResourceType.Group != type.Group || change.ResourceType.Plural != type.Plural)
            {
                return;
            }

            if (ns is not null && (string?)Meta(change.Object)["namespace"] != ns)
            {
                return;
            }

            Channel.Writer.TryWrite(change);
        }

        public void Dispose() => store.Unsubscribe(this);
    }
}
