using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ConcurrencyLimit;

/// <summary>Where <see cref="InFlightGauge"/> sends the gauge's changes: Envoy's gauge, or a test's tally.</summary>
internal interface IGaugeDeltas
{
    void Increase(ulong amount);

    void Decrease(ulong amount);
}

/// <summary>One labelled gauge in Envoy, changed through the current stream.</summary>
internal readonly ref struct StreamGauge(StreamMetrics metrics, GaugeId id, ReadOnlySpan<byte> label) : IGaugeDeltas
{
    private readonly StreamMetrics _metrics = metrics;
    private readonly ReadOnlySpan<byte> _label = label;

    public void Increase(ulong amount) => _metrics.Increase(id, _label, amount);

    public void Decrease(ulong amount) => _metrics.Decrease(id, _label, amount);
}
