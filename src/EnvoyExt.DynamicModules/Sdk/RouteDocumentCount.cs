namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// How many of a factory's per-route documents are alive. Envoy creates a route's document before the
/// route can carry a stream (on the main thread, before the route table reaches the workers) and
/// destroys it after, so while the count is 0 no stream has one, and a filter may skip
/// <see cref="HttpFilterContext.RouteConfig{T}"/>, a call into Envoy on every request.
/// </summary>
public sealed class RouteDocumentCount
{
    private int _alive;

    /// <summary>Whether any per-route document of the factory is alive.</summary>
    public bool Any => Volatile.Read(ref _alive) != 0;

    /// <summary>Call from <see cref="HttpFilterFactory.CreatePerRouteConfig"/> for a document it accepts.</summary>
    public void Created() => Interlocked.Increment(ref _alive);

    /// <summary>Call once when that document is disposed (per_route_config_destroy).</summary>
    public void Destroyed() => Interlocked.Decrement(ref _alive);
}
