using EnvoyExt.DynamicModules.Abi;

namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// Records metrics for the current stream (worker thread). Label values are UTF-8 spans, so recording
/// allocates nothing; up to three labels are supported without arrays.
/// </summary>
public readonly unsafe ref struct StreamMetrics
{
    private readonly nint _envoy;

    internal StreamMetrics(nint envoy) => _envoy = envoy;

    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increment(CounterId id, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementCounter, id.Value, id.LabelCount, 0, default, default, default, value);

    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increment(CounterId id, ReadOnlySpan<byte> label0, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementCounter, id.Value, id.LabelCount, 1, label0, default, default, value);

    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="label1">Label value 1 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increment(CounterId id, ReadOnlySpan<byte> label0, ReadOnlySpan<byte> label1, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementCounter, id.Value, id.LabelCount, 2, label0, label1, default, value);

    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="label1">Label value 1 (UTF-8), in the order of the definition.</param>
    /// <param name="label2">Label value 2 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increment(CounterId id, ReadOnlySpan<byte> label0, ReadOnlySpan<byte> label1, ReadOnlySpan<byte> label2, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementCounter, id.Value, id.LabelCount, 3, label0, label1, label2, value);

    /// <summary>Adds <paramref name="value"/> to a counter, with label values prepared at config time.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="labels">The label values, in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increment(CounterId id, MetricLabels labels, ulong value = 1)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Count != id.LabelCount
            ? MetricsResult.InvalidLabels
            : (MetricsResult)LeafCallbacks.UpdateMetric(EnvoyCallbacks.IncrementCounter, _envoy, id.Value, labels.Buffers, (nuint)labels.Count, value);
    }

    /// <summary>Records <paramref name="value"/> in a histogram, with label values prepared at config time.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="labels">The label values, in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Record(HistogramId id, MetricLabels labels, ulong value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Count != id.LabelCount
            ? MetricsResult.InvalidLabels
            : (MetricsResult)LeafCallbacks.UpdateMetric(EnvoyCallbacks.RecordHistogramValue, _envoy, id.Value, labels.Buffers, (nuint)labels.Count, value);
    }

    /// <summary>Adds <paramref name="value"/> to a gauge, with label values prepared at config time.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="labels">The label values, in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increase(GaugeId id, MetricLabels labels, ulong value = 1) =>
        Prepared(EnvoyCallbacks.IncrementGauge, id.Value, id.LabelCount, labels, value);

    /// <summary>Subtracts <paramref name="value"/> from a gauge, with label values prepared at config time.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="labels">The label values, in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Decrease(GaugeId id, MetricLabels labels, ulong value = 1) =>
        Prepared(EnvoyCallbacks.DecrementGauge, id.Value, id.LabelCount, labels, value);

    /// <summary>Adds <paramref name="value"/> to a gauge.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increase(GaugeId id, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementGauge, id.Value, id.LabelCount, 0, default, default, default, value);

    /// <summary>Adds <paramref name="value"/> to a gauge.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Increase(GaugeId id, ReadOnlySpan<byte> label0, ulong value = 1) =>
        Call(EnvoyCallbacks.IncrementGauge, id.Value, id.LabelCount, 1, label0, default, default, value);

    /// <summary>Subtracts <paramref name="value"/> from a gauge.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Decrease(GaugeId id, ulong value = 1) =>
        Call(EnvoyCallbacks.DecrementGauge, id.Value, id.LabelCount, 0, default, default, default, value);

    /// <summary>Subtracts <paramref name="value"/> from a gauge.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Decrease(GaugeId id, ReadOnlySpan<byte> label0, ulong value = 1) =>
        Call(EnvoyCallbacks.DecrementGauge, id.Value, id.LabelCount, 1, label0, default, default, value);

    /// <summary>Sets a gauge to <paramref name="value"/>.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Set(GaugeId id, ulong value) =>
        Call(EnvoyCallbacks.SetGauge, id.Value, id.LabelCount, 0, default, default, default, value);

    /// <summary>Sets a gauge to <paramref name="value"/>.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Set(GaugeId id, ReadOnlySpan<byte> label0, ulong value) =>
        Call(EnvoyCallbacks.SetGauge, id.Value, id.LabelCount, 1, label0, default, default, value);

    /// <summary>Records <paramref name="value"/> in a histogram.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Record(HistogramId id, ulong value) =>
        Call(EnvoyCallbacks.RecordHistogramValue, id.Value, id.LabelCount, 0, default, default, default, value);

    /// <summary>Records <paramref name="value"/> in a histogram.</summary>
    /// <param name="id">The metric, as defined in the config.</param>
    /// <param name="label0">Label value 0 (UTF-8), in the order of the definition.</param>
    /// <param name="value">The amount.</param>
    /// <returns>Success, or InvalidLabels (without calling Envoy) when the label count does not match.</returns>
    public MetricsResult Record(HistogramId id, ReadOnlySpan<byte> label0, ulong value) =>
        Call(EnvoyCallbacks.RecordHistogramValue, id.Value, id.LabelCount, 1, label0, default, default, value);

    private MetricsResult Prepared(delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> fn, nuint id, int labelCount, MetricLabels labels, ulong value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Count != labelCount
            ? MetricsResult.InvalidLabels
            : (MetricsResult)LeafCallbacks.UpdateMetric(fn, _envoy, id, labels.Buffers, (nuint)labels.Count, value);
    }

    private MetricsResult Call(
        delegate* unmanaged<nint, nuint, ModuleBuffer*, nuint, ulong, int> fn,
        nuint id, int expectedLabels, int labelCount,
        ReadOnlySpan<byte> l0, ReadOnlySpan<byte> l1, ReadOnlySpan<byte> l2, ulong value)
    {
        if (labelCount != expectedLabels)
        {
            return MetricsResult.InvalidLabels;
        }
        var labels = stackalloc ModuleBuffer[3];
        fixed (byte* p0 = l0)
        fixed (byte* p1 = l1)
        fixed (byte* p2 = l2)
        {
            labels[0] = new ModuleBuffer(p0, l0.Length);
            labels[1] = new ModuleBuffer(p1, l1.Length);
            labels[2] = new ModuleBuffer(p2, l2.Length);
            return (MetricsResult)LeafCallbacks.UpdateMetric(fn, _envoy, id, labelCount == 0 ? null : labels, (nuint)labelCount, value);
        }
    }
}
