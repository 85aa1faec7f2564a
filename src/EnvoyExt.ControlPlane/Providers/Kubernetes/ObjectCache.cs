using System.Collections.Concurrent;
using System.Text.Json;
using EnvoyExt.ControlPlane.GatewayApi;
using EnvoyExt.ControlPlane.Resources;
using EnvoyExt.ControlPlane.Resources.Yaml;

namespace EnvoyExt.ControlPlane.Providers.Kubernetes;

/// <summary>
/// What the informers have seen, already mapped to resource models, keyed by "Kind/namespace/name".
/// Written by the watch threads, read by the snapshot builder; an object that fails to map keeps
/// its last good version and reports a problem, as a bad file does in the folder provider.
/// </summary>
internal sealed class ObjectCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(KubernetesResource? Resource, string? Problem);

    /// <summary>Adds or replaces one object.</summary>
    public void Put(WatchedKind kind, JsonElement obj)
    {
        var (ns, name) = NameOf(obj);
        var key = kind.Kind + "/" + ns + "/" + name;
        var origin = $"{kind.Kind} {(kind.Namespaced ? ns + "/" : "")}{name}";
        try
        {
            if (JsonToTree.Convert(obj) is not TreeMapping map)
            {
                throw new JsonException("not an object");
            }

            var resource = ResourceMapper.Map(new YamlCursor(origin, map));
            _entries[key] = new Entry(resource, null);
        }
        catch (Exception e) when (e is ResourceReadException or JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            var previous = _entries.TryGetValue(key, out var old) ? old.Resource : null;
            _entries[key] = new Entry(previous, e is ResourceReadException ? e.Message : $"{origin}: {e.Message}");
        }
    }

    public void Remove(WatchedKind kind, JsonElement obj)
    {
        var (ns, name) = NameOf(obj);
        _entries.TryRemove(kind.Kind + "/" + ns + "/" + name, out _);
    }

    /// <summary>Replaces every object of one kind with a fresh list (after a start or a 410).</summary>
    public void ReplaceAll(WatchedKind kind, IReadOnlyList<JsonElement> items)
    {
        var prefix = kind.Kind + "/";
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var (ns, name) = NameOf(item);
            fresh.Add(prefix + ns + "/" + name);
            Put(kind, item);
        }

        foreach (var key in _entries.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !fresh.Contains(key))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    public int Count => _entries.Count;

    /// <summary>
    /// A consistent-enough set for one translation: only GatewayClasses naming our controller and
    /// the Gateways of those classes are kept; everything else is what the translator reads.
    /// </summary>
    public ResourceSet Snapshot()
    {
        var resources = new List<KubernetesResource>(_entries.Count);
        var problems = new List<string>();
        foreach (var entry in _entries.Values)
        {
            if (entry.Resource is not null)
            {
                resources.Add(entry.Resource);
            }

            if (entry.Problem is not null)
            {
                problems.Add(entry.Problem);
            }
        }

        var ourClasses = resources.OfType<GatewayClass>()
            .Where(c => c.ControllerName == ControllerIdentity.ControllerName)
            .Select(c => c.Metadata.Name)
            .ToHashSet(StringComparer.Ordinal);
        resources.RemoveAll(r => r switch
        {
            GatewayClass c => !ourClasses.Contains(c.Metadata.Name),
            Gateway g => !ourClasses.Contains(g.GatewayClassName),
            _ => false,
        });
        problems.Sort(StringComparer.Ordinal);
        return ResourceSet.From(resources, problems);
    }

    private static (string Namespace, string Name) NameOf(JsonElement obj)
    {
        var meta = obj.GetProperty("metadata");
        var name = meta.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var ns = meta.TryGetProperty("namespace", out var s) ? s.GetString() ?? "" : "";
        return (ns, name);
    }
}
