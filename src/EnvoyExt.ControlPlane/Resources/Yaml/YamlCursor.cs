using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// A YAML mapping plus the field path that led to it, so every typed read can fail with the file,
/// line and full field name. Hand-written reads (instead of reflection-based deserialization) are
/// what make those messages possible.
/// </summary>
internal sealed class YamlCursor(string file, YamlMappingNode node, string path)
{
    public string File { get; } = file;

    public YamlMappingNode Node { get; } = node;

    public string Path { get; } = path;

    public int Line => (int)Node.Start.Line;

    public string Field(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => TryGet(key, out var value) && !IsNull(value);

    public string? OptString(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }

        throw Error(value, Field(key), "expected a string");
    }

    public string String(string key) => OptString(key) ?? throw Missing(key);

    public int? OptInt(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Error(value, Field(key), "expected an integer");
    }

    public int Int(string key) => OptInt(key) ?? throw Missing(key);

    public long? OptLong(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Error(value, Field(key), "expected an integer");
    }

    public bool? OptBool(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar)
        {
            if (scalar.Value is "true" or "True")
            {
                return true;
            }

            if (scalar.Value is "false" or "False")
            {
                return false;
            }
        }

        throw Error(value, Field(key), "expected true or false");
    }

    public DateTimeOffset? OptTimestamp(string key)
    {
        var text = OptString(key);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        TryGet(key, out var value);
        throw Error(value!, Field(key), "expected an RFC 3339 timestamp");
    }

    public YamlCursor? OptMap(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return null;
        }

        if (value is YamlMappingNode map)
        {
            return new YamlCursor(File, map, Field(key));
        }

        throw Error(value, Field(key), "expected a mapping");
    }

    public YamlCursor Map(string key) => OptMap(key) ?? throw Missing(key);

    /// <summary>A list of mappings, each read by <paramref name="read"/>; a missing list is empty.</summary>
    public IReadOnlyList<T> List<T>(string key, Func<YamlCursor, T> read)
    {
        var items = Sequence(key);
        var result = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{Field(key)}[{i}]";
            if (items[i] is not YamlMappingNode map)
            {
                throw Error(items[i], itemPath, "expected a mapping");
            }

            result.Add(read(new YamlCursor(File, map, itemPath)));
        }

        return result;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var items = Sequence(key);
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not YamlScalarNode scalar)
            {
                throw Error(items[i], $"{Field(key)}[{i}]", "expected a string");
            }

            result.Add(scalar.Value ?? "");
        }

        return result;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var map = OptMap(key);
        if (map is null)
        {
            return result;
        }

        foreach (var (k, v) in map.Node.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (v is not YamlScalarNode scalar)
            {
                throw Error(v, map.Field(name), "expected a string");
            }

            result[name] = scalar.Value ?? "";
        }

        return result;
    }

    public ResourceReadException Missing(string key) =>
        new(File, Line, Field(key), "required field is missing");

    public ResourceReadException Invalid(string key, string problem)
    {
        var line = TryGet(key, out var value) ? (int)value.Start.Line : Line;
        return new ResourceReadException(File, line, Field(key), problem);
    }

    public ResourceReadException Error(YamlNode at, string field, string problem) =>
        new(File, (int)at.Start.Line, field, problem);

    public bool TryGet(string key, out YamlNode value)
    {
        // Keys are plain scalars in Kubernetes YAML; comparing by text avoids allocating a key node.
        foreach (var (k, v) in Node.Children)
        {
            if (k is YamlScalarNode scalar && scalar.Value == key)
            {
                value = v;
                return true;
            }
        }

        value = null!;
        return false;
    }

    private IReadOnlyList<YamlNode> Sequence(string key)
    {
        if (!TryGet(key, out var value) || IsNull(value))
        {
            return [];
        }

        if (value is YamlSequenceNode sequence)
        {
            return sequence.Children.ToList();
        }

        throw Error(value, Field(key), "expected a list");
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" };
}
