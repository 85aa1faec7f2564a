namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A parsed filter-level config, shared by every worker (so it must be safe for concurrent reads).
/// Disposed in config_destroy, which may run on any Envoy thread once the last stream released it.
/// </summary>
public abstract class HttpFilterConfig : IDisposable
{
    /// <summary>
    /// Makes a new filter object. The SDK pools filter objects per worker and calls this only when the
    /// worker has none idle (cold path), so a steady-state stream allocates nothing. A reused object
    /// gets <see cref="HttpFilter.OnReuse"/> first.
    /// </summary>
    /// <returns>A filter that belongs to this config.</returns>
    public abstract HttpFilter CreateFilter();

    /// <summary>Releases what the config holds; the SDK has already released the pooled filters.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to release resources; called once from <see cref="Dispose()"/>.</summary>
    /// <param name="disposing">Always true (the SDK never finalizes configs).</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
