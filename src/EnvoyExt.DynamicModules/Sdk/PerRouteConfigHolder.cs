namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>What a per-route config's GCHandle (Envoy's <c>rm</c>) points to; remembers the filter it belongs to.</summary>
internal sealed class PerRouteConfigHolder(string filterName, object config)
{
    public string FilterName { get; } = filterName;

    public object Config { get; } = config;
}

/// <summary>What a filter-level config's GCHandle (Envoy's <c>cm</c>) points to: the config and its stream pool.</summary>
internal sealed class ConfigHolder
{
    public ConfigHolder(string filterName, HttpFilterConfig config)
    {
        FilterName = filterName;
        Config = config;
        NotBegun = FilterStream.NotBegun(this);
    }

    public string FilterName { get; }

    public HttpFilterConfig Config { get; }

    public StreamPool Pool { get; } = new();

    /// <summary>What the hooks of this config's streams that could not begin get (see <see cref="FilterStream.NotBegun"/>).</summary>
    public FilterStream NotBegun { get; }

    /// <summary>A pooled stream of this worker, or a new one around a new filter (cold path).</summary>
    public FilterStream Rent(uint workerIndex) => Pool.TryRent(workerIndex) ?? new FilterStream(this,
        Config.CreateFilter() ?? throw new InvalidOperationException($"{FilterName}: CreateFilter returned null"));
}
