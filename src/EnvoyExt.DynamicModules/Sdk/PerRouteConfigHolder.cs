namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>What a per-route config's GCHandle points to; remembers the filter it belongs to.</summary>
internal sealed class PerRouteConfigHolder(string filterName, object config)
{
    public string FilterName { get; } = filterName;

    public object Config { get; } = config;
}

/// <summary>What a filter-level config's GCHandle (Envoy's <c>cm</c>) points to.</summary>
internal sealed class ConfigHolder(string filterName, HttpFilterConfig config)
{
    public string FilterName { get; } = filterName;

    public HttpFilterConfig Config { get; } = config;
}
