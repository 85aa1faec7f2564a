namespace EnvoyExt.ControlPlane.Resources;

/// <summary>
/// A Secret's keys and values. Equal by content, so an unchanged Secret read again compares equal and
/// causes no new snapshot; ToString names the keys only.
/// </summary>
public sealed class SecretData : IEquatable<SecretData>
{
    private readonly SortedDictionary<string, SensitiveText> _values;

    public SecretData(IEnumerable<KeyValuePair<string, SensitiveText>> values)
    {
        _values = new SortedDictionary<string, SensitiveText>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values[key] = value;
        }
    }

    public static SecretData Empty { get; } = new([]);

    public IEnumerable<string> Keys => _values.Keys;

    public int Count => _values.Count;

    public bool TryGetValue(string key, out SensitiveText value) => _values.TryGetValue(key, out value!);

    public bool Equals(SecretData? other) =>
        other is not null && _values.Count == other._values.Count && _values.SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as SecretData);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _values)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _values.Keys.Select(k => k + ": " + SensitiveText.Redacted)) + "}";
}
