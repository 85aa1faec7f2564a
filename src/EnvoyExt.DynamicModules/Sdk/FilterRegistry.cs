namespace EnvoyExt.DynamicModules.Sdk;

/// <summary>
/// The factories this module offers, keyed by <c>filter_name</c>. Filled once during program init on the
/// main thread and read-only afterwards, so lookups from config_new need no lock.
/// </summary>
internal sealed class FilterRegistry
{
    private readonly Dictionary<string, HttpFilterFactory> _factories = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _factories.Keys;

    /// <exception cref="ArgumentException">Empty name or a name registered twice.</exception>
    public void Register(HttpFilterFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrEmpty(factory.FilterName))
        {
            throw new ArgumentException("filter factory has an empty FilterName", nameof(factory));
        }
        if (!_factories.TryAdd(factory.FilterName, factory))
        {
            throw new ArgumentException($"filter_name '{factory.FilterName}' is registered twice", nameof(factory));
        }
    }

    public bool TryGet(string filterName, out HttpFilterFactory factory) =>
        _factories.TryGetValue(filterName, out factory!);
}
