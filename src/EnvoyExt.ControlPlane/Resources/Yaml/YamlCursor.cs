using System.Globalization;
using System.Numerics;

namespace EnvoyExt.ControlPlane.Resources.Yaml;

/// <summary>
/// A YAML mapping plus the field path that led to it, so every typed read can fail with the file,
/// line and full field name. Hand-written reads (instead of reflection-based deserialization) are
/// what make those messages possible. A cursor remembers its parent, key and index instead of a
/// path string: paths are only spelled out for an error, not for every object of every file.
/// </summary>
internal sealed class YamlCursor(string file, TreeMapping node, YamlCursor? parent = null, string key = "", int index = -1)
{
    public string File { get; } = file;

    public TreeMapping Node { get; } = node;

    /// <summary>The field path from the document root, e.g. "spec.rules[0]"; empty at the root.</summary>
    public string Path => parent is null ? "" : index < 0 ? parent.Field(key) : ItemPath(parent.Field(key), index);

    public int Line => Node.Line;

    public string Field(string key) => parent is null ? key : Path + "." + key;

    public bool Has(string key) => Get(key) is not null;

    public string? OptString(string key) => Get(key) switch
    {
        null => null,
        TreeScalar scalar => scalar.Value,
        var value => throw Error(value, Field(key), "expected a string"),
    };

    public string String(string key) => OptString(key) ?? throw Missing(key);

    public int? OptInt(string key) => OptInteger<int>(key);

    public int Int(string key) => OptInt(key) ?? throw Missing(key);

    public long? OptLong(string key) => OptInteger<long>(key);

    public bool? OptBool(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }

        if (value is TreeScalar { Plain: true } scalar)
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

        throw Error(Get(key)!, Field(key), "expected an RFC 3339 timestamp");
    }

    public YamlCursor? OptMap(string key) => Get(key) switch
    {
        null => null,
        TreeMapping map => new YamlCursor(File, map, this, key),
        var value => throw Error(value, Field(key), "expected a mapping"),
    };

    public YamlCursor Map(string key) => OptMap(key) ?? throw Missing(key);

    /// <summary>A list of mappings, each read by <paramref name="read"/>; a missing list is empty.</summary>
    public IReadOnlyList<T> List<T>(string key, Func<YamlCursor, T> read)
    {
        var items = Sequence(key);
        if (items.Count == 0)
        {
            return [];
        }

        var result = new T[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not TreeMapping map)
            {
                throw Error(items[i], ItemPath(Field(key), i), "expected a mapping");
            }

            result[i] = read(new YamlCursor(File, map, this, key, i));
        }

        return result;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var items = Sequence(key);
        if (items.Count == 0)
        {
            return [];
        }

        var result = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not TreeScalar scalar)
            {
                throw Error(items[i], ItemPath(Field(key), i), "expected a string");
            }

            result[i] = scalar.Value;
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

        foreach (var (name, v) in map.Node.Entries)
        {
            if (v is not TreeScalar scalar)
            {
                throw Error(v, map.Field(name), "expected a string");
            }

            result[name] = scalar.Value;
        }

        return result;
    }

    public ResourceReadException Missing(string key) =>
        new(File, Line, Field(key), "required field is missing");

    public ResourceReadException Invalid(string key, string problem) =>
        new(File, Node.Get(key)?.Line ?? Line, Field(key), problem);

    public ResourceReadException Error(TreeNode at, string field, string problem) =>
        new(File, at.Line, field, problem);

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or YAML null.</summary>
    public TreeNode? Get(string key) => Node.Get(key) is { } value && value is not TreeScalar { IsNull: true } ? value : null;

    /// <summary>int and long share one reader: only plain scalars are numbers, so "8080" in quotes is not.</summary>
    private T? OptInteger<T>(string key)
        where T : struct, IBinaryInteger<T>
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }

        if (value is TreeScalar { Plain: true } scalar
            && T.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Error(value, Field(key), "expected an integer");
    }

    private static string ItemPath(string listField, int index) => string.Create(CultureInfo.InvariantCulture, $"{listField}[{index}]");

    private IReadOnlyList<TreeNode> Sequence(string key) => Get(key) switch
    {
        null => [],
        TreeSequence sequence => sequence.Items,
        var value => throw Error(value, Field(key), "expected a list"),
    };
}
