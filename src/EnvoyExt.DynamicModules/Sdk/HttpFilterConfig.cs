namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A parsed filter-level config, shared by every worker (so it must be safe for concurrent reads).
/// Disposed in config_destroy, which may run on any Envoy thread once the last stream released it.
/// </summary>
public abstract class HttpFilterConfig : IDisposable
{
    /// <summary>Worker thread, once per stream. Implementations should rent from a <see cref="FilterPool{T}"/>.</summary>
    public abstract HttpFilter CreateFilter(uint workerIndex);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
