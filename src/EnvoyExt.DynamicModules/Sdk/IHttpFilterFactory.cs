namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// One per <c>filter_name</c>; the module's FilterCatalog registers them. Both methods run on Envoy's
/// main thread inside the exception barrier.
/// </summary>
public interface IHttpFilterFactory
{
    /// <summary>The <c>filter_name</c> Envoy passes to config_new, e.g. "rate_limit".</summary>
    string FilterName { get; }

    /// <summary>
    /// Parses and validates the filter-level config. On failure return null and set
    /// <paramref name="error"/> to "&lt;json.path&gt;: &lt;why&gt;"; the SDK logs
    /// "&lt;filter_name&gt;: invalid filter config: &lt;error&gt;" and Envoy rejects the config.
    /// Metrics must be defined here through <see cref="FilterConfigContext.Metrics"/>.
    /// </summary>
    HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error);

    /// <summary>
    /// Parses a per-route override (no Envoy pointer, so no metrics). Return null and set
    /// <paramref name="error"/> to reject it. The object must be safe for concurrent reads.
    /// </summary>
    object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error);
}
