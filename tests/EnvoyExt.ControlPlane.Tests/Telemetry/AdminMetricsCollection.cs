namespace EnvoyExt.ControlPlane.Tests;

/// <summary>
/// Tests that start an admin host and read its /metrics: OpenTelemetry listens to every Meter named
/// EnvoyExt.Controller in the process, so these run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdminMetricsCollection
{
    public const string Name = "admin metrics";
}
