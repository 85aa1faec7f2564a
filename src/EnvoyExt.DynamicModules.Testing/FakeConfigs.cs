namespace EnvoyExt.DynamicModules.Testing;

/// <summary>A filter-level config the fake Envoy created (the module's <c>cm</c>).</summary>
public sealed class FakeFilterConfig
{
    internal FakeFilterConfig(FakeEnvoy envoy, string filterName, nint module)
    {
        Envoy = envoy;
        FilterName = filterName;
        Module = module;
    }

    /// <summary>The fake Envoy that owns it.</summary>
    public FakeEnvoy Envoy { get; }

    /// <summary>The filter_name.</summary>
    public string FilterName { get; }

    internal nint Module { get; private set; }

    internal bool Destroyed => Module == 0;

    internal void MarkDestroyed() => Module = 0;
}

/// <summary>A per-route config the fake Envoy created (the module's <c>rm</c>).</summary>
public sealed class FakeRouteConfig
{
    internal FakeRouteConfig(string filterName, nint module)
    {
        FilterName = filterName;
        Module = module;
    }

    /// <summary>The filter_name it belongs to.</summary>
    public string FilterName { get; }

    internal nint Module { get; private set; }

    internal void MarkDestroyed() => Module = 0;
}
