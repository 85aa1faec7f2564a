namespace EnvoyExt.DynamicModules.Sdk;

// Handles returned when a config defines its metrics; cheap to copy and safe to share across workers.
// They remember the label count so a wrong number of label values is caught before Envoy sees it.

public readonly record struct CounterId(nuint Value, int LabelCount);

public readonly record struct GaugeId(nuint Value, int LabelCount);

public readonly record struct HistogramId(nuint Value, int LabelCount);
