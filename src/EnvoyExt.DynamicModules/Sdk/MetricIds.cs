namespace EnvoyExt.DynamicModules.Sdk;

// Handles returned when a config defines its metrics; cheap to copy and safe to share across workers.
// They remember the label count so a wrong number of label values is caught before Envoy sees it.

/// <summary>A counter defined by <see cref="ConfigMetrics.DefineCounter"/>.</summary>
/// <param name="Value">Envoy's id.</param>
/// <param name="LabelCount">How many label values every record must carry.</param>
public readonly record struct CounterId(nuint Value, int LabelCount);

/// <summary>A gauge defined by <see cref="ConfigMetrics.DefineGauge"/>.</summary>
/// <param name="Value">Envoy's id.</param>
/// <param name="LabelCount">How many label values every record must carry.</param>
public readonly record struct GaugeId(nuint Value, int LabelCount);

/// <summary>A histogram defined by <see cref="ConfigMetrics.DefineHistogram"/>.</summary>
/// <param name="Value">Envoy's id.</param>
/// <param name="LabelCount">How many label values every record must carry.</param>
public readonly record struct HistogramId(nuint Value, int LabelCount);
