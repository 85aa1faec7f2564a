using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>What a factory may use while creating a config (main thread, inside config_new only).</summary>
public readonly ref struct FilterConfigContext
{
    private readonly nint _configEnvoy;

    internal FilterConfigContext(nint configEnvoy, string filterName)
    {
        _configEnvoy = configEnvoy;
        FilterName = filterName;
    }

    /// <summary>The <c>filter_name</c> being configured.</summary>
    public string FilterName { get; }

    /// <summary>Metric definitions; only valid now (Envoy freezes them after config_new).</summary>
    public ConfigMetrics Metrics => new(_configEnvoy);

    /// <summary>Envoy's worker count, or 0 when the host does not say (useful to size per-worker tables).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Instance on purpose: the context scopes when Envoy may be asked (main thread, inside config_new).")]
    public unsafe uint WorkerCount => EnvoyCallbacks.GetConcurrency != null ? EnvoyCallbacks.GetConcurrency() : 0;

    /// <summary>
    /// Subscribes to a generic secret by name (only while config_new runs). Envoy keeps it current
    /// (SDS rotation included); streams read it with <see cref="HttpFilterContext.TryGetSecret"/>.
    /// </summary>
    /// <param name="name">The secret's name (an SDS resource name).</param>
    /// <param name="sdsConfigSourceJson">An SDS config source as JSON, or empty for a secret Envoy already has (static or served over ADS).</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="InvalidOperationException">Envoy has no generic-secret support or refused the subscription (the message names the secret).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Instance on purpose: subscriptions are only valid inside config_new.")]
    public unsafe SecretId SubscribeSecret(string name, string sdsConfigSourceJson = "")
    {
        if (EnvoyCallbacks.ConfigGenericSecretSubscribe == null)
        {
            throw new InvalidOperationException($"secret '{name}': this Envoy has no generic-secret support (needs 1.40)");
        }
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var sourceBytes = System.Text.Encoding.UTF8.GetBytes(sdsConfigSourceJson);
        nuint id;
        fixed (byte* n = nameBytes)
        fixed (byte* src = sourceBytes)
        {
            id = EnvoyCallbacks.ConfigGenericSecretSubscribe(_configEnvoy, new ModuleBuffer(n, nameBytes.Length),
                                                             new ModuleBuffer(src, sourceBytes.Length));
        }
        return id != 0 ? new SecretId(id, name) : throw new InvalidOperationException($"secret '{name}': Envoy refused the subscription");
    }

    /// <summary>Subscribes to a generic secret from <paramref name="source"/> (only while config_new runs).</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="source">Bootstrap or ADS.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="InvalidOperationException">Envoy has no generic-secret support or refused the subscription (the message names the secret).</exception>
    public SecretId SubscribeSecret(string name, SecretSource source) =>
        SubscribeSecret(name, source == SecretSource.Ads ? AdsConfigSourceJson : "");

    /// <summary>The SDS config source, as JSON, of a secret served over the node's ADS stream.</summary>
    public const string AdsConfigSourceJson = "{\"ads\":{},\"resource_api_version\":\"V3\"}";

    /// <summary>Reads a subscribed secret's current value now (for validating it while config_new runs).</summary>
    /// <param name="secret">The subscription.</param>
    /// <param name="value">The bytes; valid only until config_new returns.</param>
    /// <returns>False when Envoy has no value for it yet.</returns>
    public unsafe bool TryGetSecret(SecretId secret, out ReadOnlySpan<byte> value)
    {
        EnvoyBuffer result = default;
        if (EnvoyCallbacks.ConfigGetGenericSecret == null || !secret.IsValid ||
            EnvoyCallbacks.ConfigGetGenericSecret(_configEnvoy, secret.Value, &result) == 0)
        {
            value = default;
            return false;
        }
        value = result.AsSpan();
        return true;
    }

    /// <summary>Logs <c>"&lt;filter_name&gt;: &lt;message&gt;"</c>.</summary>
    /// <param name="level">The level.</param>
    /// <param name="message">The message.</param>
    public void Log(LogLevel level, string message) => ModuleLog.Write(level, FilterName + ": " + message);
}

/// <summary>Defines counters, gauges and histograms (with label names) for a config.</summary>
public readonly unsafe ref struct ConfigMetrics
{
    private readonly nint _configEnvoy;

    internal ConfigMetrics(nint configEnvoy) => _configEnvoy = configEnvoy;

    /// <summary>Defines a counter.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="labelNames">Label names; every record passes one value per name, in this order.</param>
    /// <returns>The id to record with.</returns>
    /// <exception cref="InvalidOperationException">Envoy refused the definition (message names the metric).</exception>
    public CounterId DefineCounter(string name, params ReadOnlySpan<string> labelNames) =>
        new(Define(EnvoyCallbacks.ConfigDefineCounter, "counter", name, labelNames), labelNames.Length);

    /// <summary>Defines a gauge.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="labelNames">Label names; every record passes one value per name, in this order.</param>
    /// <returns>The id to record with.</returns>
    /// <exception cref="InvalidOperationException">Envoy refused the definition (message names the metric).</exception>
    public GaugeId DefineGauge(string name, params ReadOnlySpan<string> labelNames) =>
        new(Define(EnvoyCallbacks.ConfigDefineGauge, "gauge", name, labelNames), labelNames.Length);

    /// <summary>Defines a histogram.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="labelNames">Label names; every record passes one value per name, in this order.</param>
    /// <returns>The id to record with.</returns>
    /// <exception cref="InvalidOperationException">Envoy refused the definition (message names the metric).</exception>
    public HistogramId DefineHistogram(string name, params ReadOnlySpan<string> labelNames) =>
        new(Define(EnvoyCallbacks.ConfigDefineHistogram, "histogram", name, labelNames), labelNames.Length);

    private nuint Define(delegate* unmanaged<nint, ModuleBuffer, ModuleBuffer*, nuint, nuint*, int> fn,
                         string kind, string name, ReadOnlySpan<string> labelNames)
    {
        // Cold path (config creation): plain arrays are fine; they are pinned for the call only.
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var labelBytes = new byte[labelNames.Length][];
        var handles = new System.Runtime.InteropServices.GCHandle[labelNames.Length];
        var buffers = new ModuleBuffer[labelNames.Length];
        try
        {
            for (var i = 0; i < labelNames.Length; i++)
            {
                labelBytes[i] = System.Text.Encoding.UTF8.GetBytes(labelNames[i]);
                handles[i] = System.Runtime.InteropServices.GCHandle.Alloc(labelBytes[i], System.Runtime.InteropServices.GCHandleType.Pinned);
                buffers[i] = new ModuleBuffer((byte*)handles[i].AddrOfPinnedObject(), labelBytes[i].Length);
            }
            nuint id = 0;
            int result;
            fixed (byte* n = nameBytes)
            fixed (ModuleBuffer* labels = buffers)
            {
                result = fn(_configEnvoy, new ModuleBuffer(n, nameBytes.Length), labels, (nuint)buffers.Length, &id);
            }
            if (result != (int)MetricsResult.Success)
            {
                throw new InvalidOperationException($"defining {kind} '{name}' failed: {(MetricsResult)result}");
            }
            return id;
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }
}
