using EnvoyExt.ControlPlane.XdsTranslation;

namespace EnvoyExt.ControlPlane.XdsServer;

/// <summary>
/// The current xDS resources per node key (one Gateway each). Streams watch their key and are woken
/// when its content changes; publishing identical content wakes nobody, which is how the server
/// pushes only on change.
/// </summary>
public sealed class XdsSnapshotCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, GatewayXdsResources> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action>> _watchers = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>Incremented each time any Gateway's content changes (the snapshot_version metric).</summary>
    public long Version => Interlocked.Read(ref _version);

    public GatewayXdsResources? Get(string key)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(key);
        }
    }

    /// <summary>Every key with its current resources, sorted by key.</summary>
    public SortedDictionary<string, GatewayXdsResources> All()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, GatewayXdsResources>(_snapshots, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Replaces the whole state: keys in <paramref name="next"/> get their resources, keys that
    /// disappeared get an empty set (full-state LDS/CDS then deletes everything on their proxies).
    /// Returns the keys whose content changed.
    /// </summary>
    public IReadOnlyList<string> SetAll(IReadOnlyDictionary<string, GatewayXdsResources> next)
    {
        List<string> changed = [];
        List<Action> wake = [];
        lock (_gate)
        {
            foreach (var (key, resources) in next)
            {
                SetLocked(key, resources, changed, wake);
            }
            foreach (var key in _snapshots.Keys.Where(k => !next.ContainsKey(k)).ToList())
            {
                SetLocked(key, GatewayXdsResources.Empty, changed, wake);
            }
        }
        Wake(wake);
        return changed;
    }

    /// <summary>Sets one key; returns whether its content changed.</summary>
    public bool Set(string key, GatewayXdsResources resources)
    {
        List<string> changed = [];
        List<Action> wake = [];
        lock (_gate)
        {
            SetLocked(key, resources, changed, wake);
        }
        Wake(wake);
        return changed.Count > 0;
    }

    /// <summary>Calls <paramref name="onChange"/> (from the publishing thread) after each change of the key.</summary>
    public IDisposable Watch(string key, Action onChange)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(key, out var list))
            {
                list = [];
                _watchers[key] = list;
            }
            list.Add(onChange);
        }
        return new Subscription(this, key, onChange);
    }

    private void SetLocked(string key, GatewayXdsResources resources, List<string> changed, List<Action> wake)
    {
        if (_snapshots.TryGetValue(key, out var current) && current.SameContentAs(resources))
        {
            return;
        }
        _snapshots[key] = resources;
        Interlocked.Increment(ref _version);
        changed.Add(key);
        if (_watchers.TryGetValue(key, out var list))
        {
            wake.AddRange(list);
        }
    }

    // Outside the lock: a watcher only signals its stream, but it must never block publishing.
    private static void Wake(List<Action> wake)
    {
        foreach (var action in wake)
        {
            action();
        }
    }

    private sealed class Subscription(XdsSnapshotCache cache, string key, Action onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            lock (cache._gate)
            {
                if (cache._watchers.TryGetValue(key, out var list))
                {
                    list.Remove(onChange);
                    if (list.Count == 0)
                    {
                        cache._watchers.Remove(key);
                    }
                }
            }
        }
    }
}
