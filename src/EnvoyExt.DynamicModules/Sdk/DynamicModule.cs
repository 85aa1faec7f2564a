namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// A module's catalogue: the filters it offers. A module project registers them once from a
/// <see cref="System.Runtime.CompilerServices.ModuleInitializerAttribute">module initializer</see>,
/// which NativeAOT runs before Envoy's first call into the library; the SDK's exported
/// <c>envoy_dynamic_module_on_program_init</c> then installs them.
/// </summary>
/// <example><code>
/// internal static class ModuleEntry
/// {
///     [ModuleInitializer]
///     internal static void Register() => DynamicModule.Register(new RateLimitFilterFactory(), new SetHeaderFilterFactory());
/// }
/// </code></example>
public static class DynamicModule
{
    private static readonly List<HttpFilterFactory> s_pending = [];

    /// <summary>Adds filters to the catalogue; every <c>filter_name</c> must be unique.</summary>
    /// <param name="factories">One factory per filter.</param>
    public static void Register(params ReadOnlySpan<HttpFilterFactory> factories)
    {
        lock (s_pending)
        {
            foreach (var factory in factories)
            {
                ArgumentNullException.ThrowIfNull(factory);
                s_pending.Add(factory);
            }
        }
    }

    /// <summary>The registry program init installs; throws naming a duplicate or empty filter_name.</summary>
    internal static FilterRegistry BuildRegistry()
    {
        var registry = new FilterRegistry();
        lock (s_pending)
        {
            foreach (var factory in s_pending)
            {
                registry.Register(factory);
            }
        }
        return registry;
    }
}
