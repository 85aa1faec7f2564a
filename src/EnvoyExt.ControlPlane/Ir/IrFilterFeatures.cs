namespace EnvoyExt.ControlPlane.Ir;

/// <summary>
/// Names one filter's feature in <see cref="IrFilterFeatures"/> and fixes its type. Each filter
/// declares one key next to its xDS translator; the IR itself knows no filter.
/// </summary>
public sealed class IrFeatureKey<T>(string name, string jsonName)
    where T : class
{
    /// <summary>The filter's name, for diagnostics.</summary>
    public string Name { get; } = name;

    /// <summary>The property the feature is written as in the IR's JSON (golden files, /status tooling).</summary>
    public string JsonName { get; } = jsonName;

    public override string ToString() => Name;
}

/// <summary>
/// The per-filter features of a route or a listener: at most one value per filter, each the
/// filter's own configuration object (e.g. the rate_limit document). Immutable; most routes carry
/// none or one, so it is a short array rather than a dictionary.
/// </summary>
public sealed class IrFilterFeatures
{
    private readonly (object Key, string JsonName, object Value)[] _entries;

    private IrFilterFeatures((object Key, string JsonName, object Value)[] entries) => _entries = entries;

    public static IrFilterFeatures None { get; } = new([]);

    public bool IsEmpty => _entries.Length == 0;

    /// <summary>Every feature object, whatever its filter (for dependencies such as <see cref="IIrFeatureDependencies"/>).</summary>
    public IEnumerable<object> Values => _entries.Select(e => e.Value);

    /// <summary>The filter's feature, or null when the filter has nothing to do here.</summary>
    public T? Get<T>(IrFeatureKey<T> key)
        where T : class
    {
        foreach (var (k, _, v) in _entries)
        {
            if (ReferenceEquals(k, key))
            {
                return (T)v;
            }
        }

        return null;
    }

    /// <summary>A copy with the filter's feature set (replaced when present, removed when null).</summary>
    public IrFilterFeatures With<T>(IrFeatureKey<T> key, T? value)
        where T : class
    {
        var kept = _entries.Where(e => !ReferenceEquals(e.Key, key));
        var entries = value is null ? kept.ToArray() : kept.Append((key, key.JsonName, (object)value)).ToArray();
        return entries.Length == 0 ? None : new IrFilterFeatures(entries);
    }

    /// <summary>The features as JSON properties (name -> feature object), or null when there are none.</summary>
    public IDictionary<string, object>? ToJsonProperties() =>
        _entries.Length == 0 ? null : _entries.ToDictionary(e => e.JsonName, e => e.Value, StringComparer.Ordinal);
}
