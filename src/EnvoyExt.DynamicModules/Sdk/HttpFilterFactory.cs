namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The entry point of one filter: one per <c>filter_name</c>, registered in a module's catalogue with
/// <see cref="DynamicModule.Register"/>. Both methods run on Envoy's main thread inside the exception
/// barrier: an exception rejects the config like a returned error does.
/// </summary>
public abstract class HttpFilterFactory
{
    /// <summary>The message a factory without per-route support rejects a per-route config with.</summary>
    public const string PerRouteNotSupported = "per-route config not supported";

    /// <summary>The <c>filter_name</c> Envoy passes to config_new, e.g. <c>"rate_limit"</c>.</summary>
    public abstract string FilterName { get; }

    /// <summary>
    /// Parses and validates the filter-level config. On failure return null and set
    /// <paramref name="error"/> to <c>"&lt;json.path&gt;: &lt;why&gt;"</c>; the SDK logs
    /// <c>"&lt;filter_name&gt;: invalid filter config: &lt;error&gt;"</c> and Envoy rejects the config.
    /// Metrics must be defined here through <see cref="FilterConfigContext.Metrics"/>.
    /// </summary>
    /// <param name="context">Envoy's view of the config being created; valid during this call only.</param>
    /// <param name="config">The <c>filter_config</c> bytes (a JSON document for our filters).</param>
    /// <param name="error">Why the config is rejected, naming the field; null on success.</param>
    /// <returns>The parsed config, shared by every worker, or null to reject it.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "Filters are C# compiled into one NativeAOT module; 'error' only clashes with Visual Basic, which cannot implement this SDK.")]
    public abstract HttpFilterConfig? CreateConfig(FilterConfigContext context, ReadOnlySpan<byte> config, out string? error);

    /// <summary>
    /// Parses a per-route override (no Envoy pointer, so no metrics). The object must be safe for
    /// concurrent reads; an <see cref="IDisposable"/> one is disposed when Envoy drops the route. The
    /// default rejects every per-route config with <see cref="PerRouteNotSupported"/>.
    /// </summary>
    /// <param name="config">The per-route <c>filter_config</c> bytes.</param>
    /// <param name="error">Why the config is rejected, naming the field; null on success.</param>
    /// <returns>The parsed override, read by filters through <see cref="HttpFilterContext.RouteConfig{T}"/>, or null to reject it.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "Filters are C# compiled into one NativeAOT module; 'error' only clashes with Visual Basic, which cannot implement this SDK.")]
    public virtual object? CreatePerRouteConfig(ReadOnlySpan<byte> config, out string? error)
    {
        error = PerRouteNotSupported;
        return null;
    }
}
