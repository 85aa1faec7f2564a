using System.Runtime.InteropServices;
using System.Text;
using EnvoyExt.DynamicModules.Abi;
using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.DynamicModules.Testing;

/// <summary>
/// Envoy's side of the ABI inside the test process. Creating one installs fake callbacks in the SDK's
/// callback table and keeps its own filter registry; configs, per-route configs and streams then go
/// through the SDK's real dispatcher, exactly as the exported hooks do in the NativeAOT module.
/// </summary>
/// <remarks>
/// The callback table is process-wide. Fake Envoys are independent of each other (each has its own
/// registry, logs and metrics), but tests that install a different table (e.g. to check callback
/// resolution) must not run in parallel with them. Logs are attributed to the fake Envoy whose method
/// is running on the thread, else to the most recently created one.
/// </remarks>
/// <example><code>
/// using var envoy = new FakeEnvoy(new SetHeaderFilterFactory());
/// var config = envoy.CreateConfig("set_header", """{"headers":[{"name":"x-a","value":"1"}]}""");
/// using var stream = envoy.NewStream(config);
/// stream.SendRequestHeaders(endOfStream: true);
/// Assert.Equal("1", stream.RequestHeaders.Get("x-a"));
/// </code></example>
public sealed unsafe class FakeEnvoy : IDisposable
{
    [ThreadStatic] private static FakeEnvoy? t_current;
    private static FakeEnvoy? s_latest;

    private readonly FilterRegistry _registry = new();
    private readonly List<string> _logs = [];
    private readonly List<(string Kind, string Name, string[] Labels)> _metricDefinitions = [];
    private readonly Dictionary<string, ulong> _metricValues = new(StringComparer.Ordinal);
    private readonly List<FakeFilterConfig> _configs = [];
    private readonly List<FakeRouteConfig> _routes = [];
    private readonly List<FakeStream> _streams = [];
    private readonly Dictionary<(SecretSource, string), byte[]> _secrets = [];
    private readonly List<(SecretSource, string)> _secretSubscriptions = [];
    private readonly List<nint> _native = [];
    private readonly nint _self;
    private bool _disposed;

    /// <summary>Installs the fake callbacks and registers <paramref name="factories"/>.</summary>
    /// <param name="factories">The filters under test, as a module's catalogue would register them.</param>
    /// <exception cref="InvalidOperationException">The SDK found a required callback missing (a bug of this library).</exception>
    public FakeEnvoy(params HttpFilterFactory[] factories)
    {
        foreach (var factory in factories)
        {
            _registry.Register(factory);
        }
        var missing = EnvoyCallbacks.Resolve(FakeCallbacks.Lookup);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("fake Envoy misses callbacks: " + string.Join(", ", missing));
        }
        _self = GCHandle.ToIntPtr(GCHandle.Alloc(this));
        s_latest = this;
    }

    /// <summary>What <c>get_concurrency</c> answers (Envoy's worker count).</summary>
    public uint Concurrency { get; set; } = 1;

    /// <summary>Every line the module logged through this fake Envoy.</summary>
    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>True when some log line contains <paramref name="text"/>.</summary>
    /// <param name="text">Text to look for.</param>
    /// <returns>Whether it was logged.</returns>
    public bool LogContains(string text) => Logs.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Names of the metrics defined so far, as "kind name(label, ...)".</summary>
    public IReadOnlyList<string> MetricDefinitions =>
        [.. _metricDefinitions.Select(d => $"{d.Kind} {d.Name}({string.Join(", ", d.Labels)})")];

    /// <summary>
    /// The value of a counter or gauge (for a histogram: the sum of samples) with these label values,
    /// in the order of the definition; 0 when never recorded.
    /// </summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="labelValues">One value per label name.</param>
    /// <returns>The value.</returns>
    public ulong Metric(string name, params string[] labelValues)
    {
        lock (_metricValues)
        {
            return _metricValues.GetValueOrDefault(MetricKey(name, labelValues));
        }
    }

    /// <summary>Runs config_new for <paramref name="filterName"/>; throws when the module rejects the config.</summary>
    /// <param name="filterName">The filter_name.</param>
    /// <param name="config">The filter_config text.</param>
    /// <returns>The config, to open streams with.</returns>
    /// <exception cref="InvalidOperationException">Rejected; the message is the module's log line.</exception>
    public FakeFilterConfig CreateConfig(string filterName, string config) =>
        TryCreateConfig(filterName, config, out var error) ?? throw new InvalidOperationException(error);

    /// <summary>Runs config_new for <paramref name="filterName"/>.</summary>
    /// <param name="filterName">The filter_name.</param>
    /// <param name="config">The filter_config text.</param>
    /// <param name="error">When rejected, the module's log line (e.g. "x: invalid filter config: a.b: why").</param>
    /// <returns>The config, or null when rejected.</returns>
    public FakeFilterConfig? TryCreateConfig(string filterName, string config, out string? error)
    {
        using var scope = Enter();
        var logged = Logs.Count;
        var name = Encoding.UTF8.GetBytes(filterName);
        var bytes = Encoding.UTF8.GetBytes(config);
        nint module;
        fixed (byte* n = name)
        fixed (byte* c = bytes)
        {
            module = HttpFilterDispatcher.ConfigNew(_registry, _self, Buffer(n, name.Length), Buffer(c, bytes.Length));
        }
        if (module == 0)
        {
            error = Logs.Skip(logged).LastOrDefault() ?? "rejected without a log line";
            return null;
        }
        error = null;
        var created = new FakeFilterConfig(this, filterName, module);
        _configs.Add(created);
        return created;
    }

    /// <summary>Runs per_route_config_new; throws when the module rejects it.</summary>
    /// <param name="filterName">The filter_name it belongs to.</param>
    /// <param name="config">The per-route filter_config text.</param>
    /// <returns>The per-route config, to open streams on that route.</returns>
    /// <exception cref="InvalidOperationException">Rejected; the message is the module's log line.</exception>
    public FakeRouteConfig CreateRouteConfig(string filterName, string config) =>
        TryCreateRouteConfig(filterName, config, out var error) ?? throw new InvalidOperationException(error);

    /// <summary>Runs per_route_config_new.</summary>
    /// <param name="filterName">The filter_name it belongs to.</param>
    /// <param name="config">The per-route filter_config text.</param>
    /// <param name="error">When rejected, the module's log line (e.g. "x: invalid per-route config: a: why").</param>
    /// <returns>The per-route config, or null when rejected.</returns>
    public FakeRouteConfig? TryCreateRouteConfig(string filterName, string config, out string? error)
    {
        using var scope = Enter();
        var logged = Logs.Count;
        var name = Encoding.UTF8.GetBytes(filterName);
        var bytes = Encoding.UTF8.GetBytes(config);
        nint module;
        fixed (byte* n = name)
        fixed (byte* c = bytes)
        {
            module = HttpFilterDispatcher.PerRouteConfigNew(_registry, Buffer(n, name.Length), Buffer(c, bytes.Length));
        }
        if (module == 0)
        {
            error = Logs.Skip(logged).LastOrDefault() ?? "rejected without a log line";
            return null;
        }
        error = null;
        var created = new FakeRouteConfig(filterName, module);
        _routes.Add(created);
        return created;
    }

    /// <summary>Runs per_route_config_destroy (Envoy dropped the route).</summary>
    /// <param name="route">The per-route config.</param>
    public void DestroyRouteConfig(FakeRouteConfig route)
    {
        ArgumentNullException.ThrowIfNull(route);
        using var scope = Enter();
        if (route.Module != 0)
        {
            HttpFilterDispatcher.PerRouteConfigDestroy(route.Module);
            route.MarkDestroyed();
        }
    }

    /// <summary>Runs config_destroy (Envoy dropped the config; open streams should be finished first).</summary>
    /// <param name="config">The config.</param>
    public void DestroyConfig(FakeFilterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var scope = Enter();
        if (!config.Destroyed)
        {
            HttpFilterDispatcher.ConfigDestroy(config.Module);
            config.MarkDestroyed();
        }
    }

    /// <summary>Opens a stream (filter_new) on <paramref name="config"/>, optionally on a route with a per-route config.</summary>
    /// <param name="config">The filter-level config.</param>
    /// <param name="route">The most specific per-route config of the stream's route, or null.</param>
    /// <returns>The stream; its headers are empty until the test fills them.</returns>
    /// <exception cref="InvalidOperationException">filter_new returned NULL (the module logged why).</exception>
    public FakeStream NewStream(FakeFilterConfig config, FakeRouteConfig? route = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var stream = new FakeStream(this, route);
        using (Enter())
        {
            var module = HttpFilterDispatcher.FilterNew(config.Module, stream.EnvoyPointer);
            if (module == 0)
            {
                stream.Release();
                var logs = Logs;
                throw new InvalidOperationException("filter_new returned NULL: " + (logs.Count > 0 ? logs[^1] : "no log line"));
            }
            stream.Attach(module);
        }
        _streams.Add(stream);
        return stream;
    }

    /// <summary>
    /// Sets (or rotates) a generic secret, as an SDS update would: streams read the new value at once.
    /// Like Envoy, a subscription needs the secret to exist when config_new runs.
    /// </summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="value">Its bytes (UTF-8).</param>
    /// <param name="source">Bootstrap (reached with an empty SDS config) or ADS (reached with an SDS source naming ADS).</param>
    public void SetSecret(string name, string value, SecretSource source = SecretSource.Static)
    {
        lock (_secrets)
        {
            _secrets[(source, name)] = Encoding.UTF8.GetBytes(value);
        }
    }

    /// <summary>Removes a generic secret; subscribed readers then get no value.</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="source">Where it was set.</param>
    public void RemoveSecret(string name, SecretSource source = SecretSource.Static)
    {
        lock (_secrets)
        {
            _secrets.Remove((source, name));
        }
    }

    /// <summary>Destroys open streams, then configs and per-route configs, and releases native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
        foreach (var config in _configs)
        {
            DestroyConfig(config);
        }
        foreach (var route in _routes)
        {
            DestroyRouteConfig(route);
        }
        foreach (var allocation in _native)
        {
            NativeMemory.Free((void*)allocation);
        }
        _native.Clear();
        GCHandle.FromIntPtr(_self).Free();
        if (s_latest == this)
        {
            s_latest = null;
        }
    }

    // ---- used by the fake callbacks and streams ----

    internal Scope Enter() => new(this);

    internal static FakeEnvoy FromConfigPointer(nint configEnvoy) => (FakeEnvoy)GCHandle.FromIntPtr(configEnvoy).Target!;

    internal static void Log(string message)
    {
        var target = t_current ?? s_latest;
        if (target is null)
        {
            return;
        }
        lock (target._logs)
        {
            target._logs.Add(message);
        }
    }

    // A subscription to a missing secret, or with an SDS source other than ADS, fails (as in the ABI host).
    internal nuint SubscribeSecret(string name, string sdsConfigSource)
    {
        SecretSource source;
        if (sdsConfigSource.Length == 0)
        {
            source = SecretSource.Static;
        }
        else if (sdsConfigSource == FilterConfigContext.AdsConfigSourceJson)
        {
            source = SecretSource.Ads;
        }
        else
        {
            return 0;
        }
        lock (_secrets)
        {
            if (!_secrets.ContainsKey((source, name)))
            {
                return 0;
            }
            _secretSubscriptions.Add((source, name));
            return (nuint)_secretSubscriptions.Count; // ids start at 1
        }
    }

    internal bool TryGetSubscribedSecret(nuint id, out byte[] value)
    {
        lock (_secrets)
        {
            if (id == 0 || id > (nuint)_secretSubscriptions.Count || !_secrets.TryGetValue(_secretSubscriptions[(int)id - 1], out value!))
            {
                value = [];
                return false;
            }
            return true;
        }
    }

    internal void KeepNative(nint allocation)
    {
        lock (_native)
        {
            _native.Add(allocation);
        }
    }

    internal nuint DefineMetric(string kind, string name, string[] labels)
    {
        lock (_metricValues)
        {
            _metricDefinitions.Add((kind, name, labels));
            return (nuint)_metricDefinitions.Count; // ids start at 1
        }
    }

    internal int RecordMetric(nuint id, ReadOnlySpan<string> labelValues, ulong value, char operation)
    {
        lock (_metricValues)
        {
            if (id == 0 || id > (nuint)_metricDefinitions.Count)
            {
                return (int)MetricsResult.MetricNotFound;
            }
            var definition = _metricDefinitions[(int)id - 1];
            if (definition.Labels.Length != labelValues.Length)
            {
                return (int)MetricsResult.InvalidLabels;
            }
            var key = MetricKey(definition.Name, labelValues.ToArray());
            var current = _metricValues.GetValueOrDefault(key);
            _metricValues[key] = operation switch
            {
                '+' => current + value,
                '-' => current - value,
                _ => value,
            };
            return (int)MetricsResult.Success;
        }
    }

    private static string MetricKey(string name, string[] labelValues) => name + "{" + string.Join("\u0001", labelValues) + "}";

    internal static EnvoyBuffer Buffer(byte* bytes, int length) => new() { Ptr = bytes, Length = (nuint)length };

    /// <summary>Routes logs on this thread to one fake Envoy while a dispatcher call runs.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly FakeEnvoy? _previous;

        public Scope(FakeEnvoy envoy)
        {
            _previous = t_current;
            t_current = envoy;
        }

        public void Dispose() => t_current = _previous;
    }
}
