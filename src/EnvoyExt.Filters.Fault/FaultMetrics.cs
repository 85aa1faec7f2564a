using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.Fault;

/// <summary>The filter's metrics (label "fault"), defined once per filter config.</summary>
internal sealed class FaultMetrics(CounterId delays, CounterId aborts, CounterId overflow, GaugeId active)
{
    public CounterId Delays { get; } = delays;

    public CounterId Aborts { get; } = aborts;

    public CounterId Overflow { get; } = overflow;

    public GaugeId Active { get; } = active;

    public static FaultMetrics Define(FilterConfigContext context)
    {
        var metrics = context.Metrics;
        return new FaultMetrics(
            metrics.DefineCounter("fault_delays_injected", "fault"),
            metrics.DefineCounter("fault_aborts_injected", "fault"),
            metrics.DefineCounter("fault_active_overflow", "fault"),
            metrics.DefineGauge("fault_active", "fault"));
    }
}
