using EnvoyExt.DynamicModules.Sdk;

namespace EnvoyExt.Filters.ExtAuth;

/// <summary>The listener-level settings and the metric ids; shared by every worker.</summary>
internal sealed class ExtAuthFilterConfig(ExtAuthSettings settings, ExtAuthMetrics metrics) : HttpFilterConfig
{
    public ExtAuthSettings Settings { get; } = settings;

    public ExtAuthMetrics Metrics { get; } = metrics;

    public override HttpFilter CreateFilter() => new ExtAuthFilter(this);
}
