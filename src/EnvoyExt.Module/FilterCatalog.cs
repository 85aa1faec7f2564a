using EnvoyExt.DynamicModules.Sdk;
using EnvoyExt.Filters.RateLimit;
using EnvoyExt.Module.Diagnostics;

namespace EnvoyExt.Module;

/// <summary>Every filter this library offers, by filter_name. Add production filters here.</summary>
internal static class FilterCatalog
{
    public static FilterRegistry Create(bool includeTestFilters)
    {
        var registry = new FilterRegistry();
        registry.Register(new RateLimitFilterFactory());
        if (includeTestFilters)
        {
            // Diagnostics for tests and benchmarks only (ENVOYEXT_ENABLE_TEST_FILTERS=1).
            registry.Register(new PassthroughFilterFactory());
            registry.Register(new TestThrowFilterFactory());
            registry.Register(new AbiProbeFilterFactory());
        }
        return registry;
    }
}
